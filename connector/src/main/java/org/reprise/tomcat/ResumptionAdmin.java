package org.reprise.tomcat;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.reprise.core.admin.ResumptionAdminMXBean;
import org.reprise.core.admin.SessionPageView;
import org.reprise.core.admin.TicketKeyView;
import org.reprise.core.admin.UnreadableTicketKeyView;
import org.reprise.core.internal.ResumptionContext;
import org.reprise.core.session.SessionQuery;

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
        return connector.admin().sessions(query);
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
        return connector.admin().ticketKeys();
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
