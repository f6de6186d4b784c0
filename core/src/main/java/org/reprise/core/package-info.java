/**
 * Engine-neutral heart of Reprise: what a resumable TLS session is, where it is kept, how session
 * tickets are sealed, and what is counted. Nothing here knows Tomcat, Bouncy Castle or JDBC.
 *
 * <ul>
 *   <li>{@link org.reprise.core.session} — the session record and the {@code SessionStore} SPI;</li>
 *   <li>{@link org.reprise.core.ticket} — the rotating ticket key ring and the ticket sealer;</li>
 *   <li>{@link org.reprise.core.metrics} — resumption counters.</li>
 * </ul>
 */
@NullMarked
package org.reprise.core;

import org.jspecify.annotations.NullMarked;
