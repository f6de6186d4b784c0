package org.reprise.core.admin;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an administrator may see and do on one connector, published in JMX as
 * {@code org.reprise:type=ResumptionAdmin,connector="<name>"} next to its counters
 * ({@code org.reprise:type=ResumptionMetrics,connector="<name>"}), each with {@code ,node="<node>"} when the
 * connector has a node name (see {@link JmxNames}). With a shared store, purges and key
 * operations reach every node of the cluster. Nothing here reveals a secret.
 */
public interface ResumptionAdminMXBean {

    /** @return the connector's name */
    String getName();

    /** @return this server's node name, or null */
    @Nullable String getNode();

    /**
     * @param host       SSLHostConfig or SNI name to match, or null/blank
     * @param node       node name to match, or null/blank
     * @param protocol   protocol to match, or null/blank
     * @param text       free text, or null/blank
     * @param sort       a column: created, expires, last_resumed, resume_count, host, protocol, cipher_suite, id, node
     * @param descending whether to reverse the order
     * @param offset     how many matches to skip
     * @param limit      page size, 1 to 1000
     * @return one page of live sessions
     * @throws IllegalArgumentException for an unknown column or a page out of range
     */
    SessionPageView listSessions(@Nullable String host, @Nullable String node, @Nullable String protocol,
            @Nullable String text, String sort, boolean descending, int offset, int limit);

    /**
     * @param id a session ID, hexadecimal
     * @return whether it was there
     */
    boolean removeSession(String id);

    /**
     * @param ids session IDs, hexadecimal
     * @return how many were there
     */
    long removeSessions(List<String> ids);

    /** @return how many sessions were removed */
    long removeAllSessions();

    /** @return how many expired sessions were swept */
    long removeExpiredSessions();

    /**
     * @return the live ticket keys, newest generation first: a key made ahead of time (above the encrypting
     *         one), the encrypting one, the older ones that still open tickets, then any of this node's own
     */
    List<TicketKeyView> getTicketKeys();

    /**
     * @return the live stored ticket keys this node cannot open (sealed under a data key it lacks), as of its
     *         last key refresh; any at all means this node lacks a data key the others use
     */
    List<UnreadableTicketKeyView> getUnreadableTicketKeys();

    /** @return the new encrypting key; older keys keep opening their tickets */
    TicketKeyView rotateTicketKeys();

    /** @return the new encrypting key; every older key is gone, and so is every ticket sealed under one */
    TicketKeyView retireAllTicketKeys();
}
