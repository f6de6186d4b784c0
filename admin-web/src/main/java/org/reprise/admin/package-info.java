/**
 * Reprise's admin web application: a JSON API and a few plain pages over the connectors' JMX views
 * ({@code org.reprise:type=ResumptionAdmin,*} and {@code org.reprise:type=ResumptionMetrics,*}), to list,
 * filter and purge TLS sessions, rotate and retire ticket keys, and watch the resumption counters.
 */
@NullMarked
package org.reprise.admin;

import org.jspecify.annotations.NullMarked;
