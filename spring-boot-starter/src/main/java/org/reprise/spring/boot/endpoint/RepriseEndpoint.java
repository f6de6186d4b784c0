package org.reprise.spring.boot.endpoint;

import java.security.Principal;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reprise.core.admin.JmxNames;
import org.reprise.core.admin.SessionPageView;
import org.reprise.core.admin.TicketKeyView;
import org.reprise.core.metrics.MetricsSnapshot;
import org.reprise.core.session.SessionQuery;
import org.reprise.spring.boot.RepriseConnectors;
import org.reprise.tomcat.ConnectorAdmin;
import org.reprise.tomcat.ResumptionSslImplementation;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code reprise} actuator endpoint: what the admin page does, for an application's own connectors, behind
 * Spring Boot's endpoint access, exposure and security rules. Off unless
 * {@code management.endpoint.reprise.access} allows it (reads need {@code read-only}, purges and retirements
 * {@code unrestricted}) and {@code management.endpoints.web.exposure.include} names it. Over HTTP:
 * <ul>
 * <li>{@code GET /actuator/reprise}: every connector with its counters;</li>
 * <li>{@code GET /actuator/reprise/{connector}}: its ticket keys and a page of its sessions, filtered and
 * ordered by the query parameters {@code host}, {@code node}, {@code protocol}, {@code text}, {@code sort}
 * (a column, such as {@code created} or {@code last_resumed}), {@code descending}, {@code offset} and
 * {@code limit};</li>
 * <li>{@code DELETE /actuator/reprise/{connector}/sessions/{id}}: purges that session;</li>
 * <li>{@code DELETE /actuator/reprise/{connector}/sessions}: purges every session of the connector's realm;</li>
 * <li>{@code DELETE /actuator/reprise/{connector}/keys}: retires every ticket key.</li>
 * </ul>
 * Nothing it returns is a secret: session IDs, names and times, never keys or master secrets. Each purge and
 * retirement is logged at INFO with the user who asked.
 */
@Endpoint(id = "reprise", defaultAccess = Access.NONE)
public class RepriseEndpoint {

    /** The path segment of a connector's sessions. */
    static final String SESSIONS = "sessions";
    /** The path segment of a connector's ticket keys. */
    static final String KEYS = "keys";

    private static final Log audit = LogFactory.getLog(RepriseEndpoint.class);

    private final RepriseConnectors connectors;

    /** @param connectors the application's Reprise connectors */
    public RepriseEndpoint(RepriseConnectors connectors) {
        this.connectors = connectors;
    }

    /** @return every connector, with its counters */
    @ReadOperation
    public ConnectorList connectors() {
        return new ConnectorList(connectors.all().stream()
                .map(c -> new ConnectorSummary(c.name(), JmxNames.node(c.metricsName()), c.admin().metrics()))
                .toList());
    }

    /**
     * @param connector  the connector's Reprise name
     * @param host       SSLHostConfig or SNI name to match, or null
     * @param node       node to match, or null
     * @param protocol   protocol to match, or null
     * @param text       free text, or null
     * @param sort       the column to order by (default: created)
     * @param descending whether to reverse the order (default: newest first, as the admin page lists)
     * @param offset     how many matches to skip (default 0)
     * @param limit      page size, 1 to 1000 (default 50)
     * @return the connector's ticket keys and one page of its sessions, or null (404) if it has no such connector
     */
    @ReadOperation
    public @Nullable ConnectorDetail connector(@Selector String connector, @Nullable String host,
            @Nullable String node, @Nullable String protocol, @Nullable String text, SessionQuery.@Nullable Sort sort,
            @Nullable Boolean descending, @Nullable Integer offset, @Nullable Integer limit) {
        ResumptionSslImplementation found = connectors.named(connector).orElse(null);
        if (found == null) {
            return null;
        }
        SessionQuery.Builder query = SessionQuery.builder().host(host).node(node).protocol(protocol).text(text);
        if (sort != null || descending != null) {
            query.sort(sort != null ? sort : SessionQuery.Sort.CREATED, descending == null || descending);
        }
        try {
            query.page(offset != null ? offset : 0, limit != null ? limit : 50);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException("Bad page: " + e.getMessage(), "Bad page");
        }
        ConnectorAdmin admin = found.admin();
        return new ConnectorDetail(found.name(), JmxNames.node(found.metricsName()), admin.ticketKeys(),
                admin.sessions(query.build()));
    }

    /**
     * @param connector the connector's Reprise name
     * @param resource  {@code sessions} to purge every session of the connector's realm, on every node sharing
     *                  its store; {@code keys} to retire every ticket key, so that no ticket issued so far resumes
     * @param security  who asks, for the log
     * @return how many sessions were purged, or the key that now seals tickets
     */
    @DeleteOperation
    public AdminResult purgeAll(@Selector String connector, @Selector String resource, SecurityContext security) {
        ResumptionSslImplementation found = require(connector);
        return switch (resource) {
            case SESSIONS -> {
                long purged = found.admin().purgeAll();
                log(security, found, "purged all " + purged + " sessions");
                yield new Purged(purged);
            }
            case KEYS -> {
                TicketKeyView encrypting = found.admin().retireAllKeys();
                log(security, found, "retired every ticket key; " + encrypting.getName() + " now seals tickets");
                yield new KeysRetired(encrypting);
            }
            default -> throw new InvalidEndpointRequestException("Unknown resource " + resource + ": use "
                    + SESSIONS + " or " + KEYS, "Unknown resource");
        };
    }

    /**
     * @param connector the connector's Reprise name
     * @param resource  {@code sessions}
     * @param id        the session ID in hex, as listed
     * @param security  who asks, for the log
     * @return 1 if the store held the session, else 0; either way it no longer resumes on any node
     */
    @DeleteOperation
    public Purged purge(@Selector String connector, @Selector String resource, @Selector String id,
            SecurityContext security) {
        if (!resource.equals(SESSIONS)) {
            throw new InvalidEndpointRequestException("Only sessions are purged one by one, not " + resource,
                    "Unknown resource");
        }
        ResumptionSslImplementation found = require(connector);
        boolean held;
        try {
            held = found.admin().purge(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidEndpointRequestException("Not a session ID: " + e.getMessage(), "Not a session ID");
        }
        log(security, found, "purged session " + id + (held ? "" : " (not held)"));
        return new Purged(held ? 1 : 0);
    }

    private ResumptionSslImplementation require(String connector) {
        return connectors.named(connector).orElseThrow(() -> new InvalidEndpointRequestException(
                "No Reprise connector named " + connector + "; there are "
                        + connectors.all().stream().map(ResumptionSslImplementation::name).toList(),
                "Unknown connector"));
    }

    private static void log(SecurityContext security, ResumptionSslImplementation connector, String action) {
        Principal user = security.getPrincipal();
        audit.info("Reprise actuator endpoint: user=" + (user == null ? "-" : user.getName()) + " connector="
                + connector.name() + " " + action);
    }

    /** @param connectors every Reprise connector of the application */
    public record ConnectorList(List<ConnectorSummary> connectors) implements OperationResponseBody {
    }

    /**
     * @param name     the connector's Reprise name
     * @param node     its node name, or null
     * @param counters its counters now
     */
    public record ConnectorSummary(String name, @Nullable String node, MetricsSnapshot counters) {
    }

    /**
     * @param name       the connector's Reprise name
     * @param node       its node name, or null
     * @param ticketKeys its live ticket keys, newest generation first
     * @param sessions   the page of sessions asked for
     */
    public record ConnectorDetail(String name, @Nullable String node, List<TicketKeyView> ticketKeys,
            SessionPageView sessions) implements OperationResponseBody {
    }

    /** What a purge or a retirement did. */
    public sealed interface AdminResult extends OperationResponseBody permits Purged, KeysRetired {
    }

    /** @param purged how many sessions the store held and purged */
    public record Purged(long purged) implements AdminResult {
    }

    /** @param encrypting the fresh key that now seals tickets */
    public record KeysRetired(TicketKeyView encrypting) implements AdminResult {
    }
}
