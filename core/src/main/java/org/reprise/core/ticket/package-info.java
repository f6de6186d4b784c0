/**
 * Session tickets' keys: a ring of named AES-256 keys that rotates by itself
 * ({@link org.reprise.core.ticket.TicketKeyRing}), and the {@link org.reprise.core.ticket.TicketKeyStore} SPI
 * where a cluster keeps them. The sealer that turns a session into a ticket with these keys is Reprise's own
 * machinery, in {@code org.reprise.core.internal.ticket}.
 */
@NullMarked
package org.reprise.core.ticket;

import org.jspecify.annotations.NullMarked;
