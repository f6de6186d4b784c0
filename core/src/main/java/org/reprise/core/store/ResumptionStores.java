package org.reprise.core.store;

import org.reprise.core.session.SessionStore;
import org.reprise.core.ticket.TicketKeyStore;

/**
 * A connector's session store and ticket key store, opened together by a {@link StoreProvider} and
 * closed together when the connector stops.
 */
public interface ResumptionStores extends AutoCloseable {

    /** @return where sessions live */
    SessionStore sessionStore();

    /** @return where ticket keys live */
    TicketKeyStore ticketKeyStore();

    /** Releases connections, threads and other resources. */
    @Override
    void close();
}
