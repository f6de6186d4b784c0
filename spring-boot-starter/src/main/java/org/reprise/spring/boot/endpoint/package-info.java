/** The {@code reprise} actuator endpoint: list a connector's sessions and ticket keys, purge, retire keys. */
@NullMarked
package org.reprise.spring.boot.endpoint;

import org.jspecify.annotations.NullMarked;
