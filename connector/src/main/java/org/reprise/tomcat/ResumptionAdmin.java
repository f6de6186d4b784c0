package org.reprise.tomcat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.reprise.core.admin.ResumptionAdminMXBean;
import org.reprise.core.admin.SessionPageView;
import org.reprise.core.admin.SessionView;
import org.reprise.core.admin.TicketKeyView;
import org.reprise.core.admin.UnreadableTicketKeyView;
import org.reprise.core.internal.ResumptionContext;
import org.reprise.core.session.SessionPage;
import org.reprise.core.session.SessionQuery;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.ticket.TicketKey;

/**
 * One connector's {@link ResumptionAdminMXBean}: the admin page's way in, through JMX. Purges and key
 * retirement go through the connector's {@link ConnectorAdmin}.
 */
final class ResumptionAdmin implements ResumptionAdminMXBean {

    private final ConnectorResumption connector;

    ResumptionAdmin(ConnectorResumption connector) {
        this.connector = connector;
    }

    private ResumptionContext context() {
        return connector.context();
    }

    @Override
    public String getName() {
        return connector.name();
    }

    @Override
    public @Nullable String getNode() {
        return connector.settings().node();
    }

    @Override
    public SessionPageView listSessions(@Nullable String host, @Nullable String node, @Nullable String protocol,
            @Nullable String text, String sort, boolean descending, int offset, int limit) {
        SessionQuery.Sort column;
        try {
            column = SessionQuery.Sort.valueOf(sort.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown sort column " + sort);
        }
        SessionQuery query = SessionQuery.builder().host(host).node(node).protocol(protocol).text(text)
                .sort(column, descending).page(offset, limit).build();
        SessionPage page = context().store().list(query, context().clock().instant());
        return new SessionPageView(page.sessions().stream().map(ResumptionAdmin::view).toList(), page.total(),
                page.offset(), page.limit());
    }

    private static SessionView view(SessionRecord r) {
        Instant lastResumed = r.lastResumed();
        return new SessionView(r.id().hex(), r.hostConfig(), r.sniHost(), r.protocol(), r.cipherSuite(),
                r.created().toEpochMilli(), r.expires().toEpochMilli(),
                lastResumed == null ? 0 : lastResumed.toEpochMilli(), r.resumeCount(), r.node(), r.engine(),
                r.peerIdentity());
    }

    @Override
    public boolean removeSession(String id) {
        return connector.admin().purge(id);
    }

    @Override
    public long removeSessions(List<String> ids) {
        return ids.stream().filter(this::removeSession).count();
    }

    @Override
    public long removeAllSessions() {
        return connector.admin().purgeAll();
    }

    @Override
    public long removeExpiredSessions() {
        long started = System.nanoTime();
        long removed = context().store().sweepExpired(context().clock().instant());
        context().metrics().swept(removed, Duration.ofNanos(System.nanoTime() - started));
        return removed;
    }

    @Override
    public List<TicketKeyView> getTicketKeys() {
        // the encrypting key is not always the first: a key made ahead of time is listed above it
        TicketKey encrypting = context().keyRing().encryptionKey();
        List<TicketKey> keys = context().keyRing().keys();
        return keys.stream().map(k -> ConnectorAdmin.view(k, k == encrypting)).toList();
    }

    @Override
    public List<UnreadableTicketKeyView> getUnreadableTicketKeys() {
        return context().keyRing().unreadableKeys().stream()
                .map(k -> new UnreadableTicketKeyView(k.generation(), k.keyId(), k.decryptUntil().toEpochMilli()))
                .toList();
    }

    @Override
    public TicketKeyView rotateTicketKeys() {
        return ConnectorAdmin.view(context().keyRing().rotate(), true);
    }

    @Override
    public TicketKeyView retireAllTicketKeys() {
        return connector.admin().retireAllKeys();
    }
}
