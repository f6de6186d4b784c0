/** Reprise's counters as Micrometer meters, for {@code /actuator/prometheus} and any other registry. */
@NullMarked
package org.reprise.spring.boot.metrics;

import org.jspecify.annotations.NullMarked;
