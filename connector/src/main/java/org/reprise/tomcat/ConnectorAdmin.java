package org.reprise.tomcat;

import java.time.Instant;
import java.util.List;
import org.reprise.core.admin.SessionPageView;
import org.reprise.core.admin.SessionView;
import org.reprise.core.admin.TicketKeyView;
import org.reprise.core.internal.ResumptionContext;
import org.reprise.core.metrics.MetricsSnapshot;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionPage;
import org.reprise.core.session.SessionQuery;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.ticket.TicketKey;

/**
 * What an administrator does to one connector's resumption from code: list and purge sessions, list and retire
 * the ticket keys, read the counters. The admin page and the JMX {@code ResumptionAdmin} MBean do the same
 * through this class.
 * Reach it with {@code protocol.resumption().admin()} (see {@link ResumptionSslImplementation#admin()}).
 *
 * <p>Thread-safe: any thread may call any method at any time, also while handshakes run. A purge or a
 * retirement runs against the connector's session and ticket key stores, so with {@code store="jdbc"} it
 * waits for the database; it does not stop a connection already established. The first call before the
 * connector has started makes its store and key ring.
 */
public final class ConnectorAdmin {

    private final ConnectorResumption connector;

    ConnectorAdmin(ConnectorResumption connector) {
        this.connector = connector;
    }

    private ResumptionContext context() {
        return connector.context();
    }

    /**
     * Lists one page of the live sessions of the connector's store (with a shared store, every node's), as the
     * admin page shows them: never a secret.
     *
     * @param query which sessions, in which order, which page
     * @return that page
     */
    public SessionPageView sessions(SessionQuery query) {
        SessionPage page = context().store().list(query, context().clock().instant());
        return new SessionPageView(page.sessions().stream().map(ConnectorAdmin::view).toList(), page.total(),
                page.offset(), page.limit());
    }

    /**
     * @return the live ticket keys (their names and times, never their secrets), newest generation first: a key
     *         made ahead of time (above the encrypting one), the encrypting one, the older ones that still open
     *         tickets
     */
    public List<TicketKeyView> ticketKeys() {
        // the encrypting key is not always the first: a key made ahead of time is listed above it
        TicketKey encrypting = context().keyRing().encryptionKey();
        return context().keyRing().keys().stream().map(k -> view(k, k == encrypting)).toList();
    }

    /**
     * Purges one session: its ID no longer resumes on any node sharing the store, nor does any session renewed
     * from it, nor, on the Bouncy Castle engine, its TLS 1.2 tickets once a node has heard of the purge (see
     * docs/SECURITY.md). OpenSSL stateless tickets are not stopped: {@link #retireAllKeys()} stops those.
     *
     * @param sessionIdHex the session ID in hex, as the admin page and Tomcat's
     *                     {@code jakarta.servlet.request.ssl_session_id} show it
     * @return whether the store held the session
     * @throws IllegalArgumentException if {@code sessionIdHex} is not a session ID in hex
     */
    public boolean purge(String sessionIdHex) {
        return context().store().remove(SessionId.fromHex(sessionIdHex));
    }

    /**
     * Purges every session of the connector's realm ({@code resumptionName}), on every node sharing the store,
     * with what {@link #purge(String)} stops for each; tickets sealed by stateless engines still need
     * {@link #retireAllKeys()}.
     *
     * @return how many sessions were purged
     */
    public long purgeAll() {
        return context().store().removeAll(context().realm());
    }

    /**
     * Retires every ticket key and makes a fresh one: no ticket sealed before the call resumes any more, on
     * any engine, on every node sharing the key store once it has refreshed its ring (within 2 s). Sessions
     * resumable by ID are not affected: {@link #purgeAll()} stops those.
     *
     * @return the key that now seals tickets (its name and times, never its secret)
     */
    public TicketKeyView retireAllKeys() {
        return view(context().keyRing().retireAll(), true);
    }

    /** @return the connector's counters as they are now */
    public MetricsSnapshot metrics() {
        return connector.metrics().snapshot();
    }

    private static SessionView view(SessionRecord r) {
        Instant lastResumed = r.lastResumed();
        return new SessionView(r.id().hex(), r.hostConfig(), r.sniHost(), r.protocol(), r.cipherSuite(),
                r.created().toEpochMilli(), r.expires().toEpochMilli(),
                lastResumed == null ? 0 : lastResumed.toEpochMilli(), r.resumeCount(), r.node(), r.engine(),
                r.peerIdentity());
    }

    static TicketKeyView view(TicketKey key, boolean encrypting) {
        return new TicketKeyView(key.generation(), key.nameHex(), key.created().toEpochMilli(),
                key.encryptUntil().toEpochMilli(), key.decryptUntil().toEpochMilli(), encrypting);
    }
}
