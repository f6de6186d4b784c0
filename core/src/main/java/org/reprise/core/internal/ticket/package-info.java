/**
 * The ticket sealer ({@link org.reprise.core.internal.ticket.TicketSealer}): AES-256-GCM under the keys of a
 * {@link org.reprise.core.ticket.TicketKeyRing}, used by the engines. Not API: see
 * {@link org.reprise.core.internal}.
 */
@NullMarked
package org.reprise.core.internal.ticket;

import org.jspecify.annotations.NullMarked;
