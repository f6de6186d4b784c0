package org.reprise.core.metrics;

import java.util.Map;

/**
 * The JMX view of {@link ResumptionMetrics}: totals as plain attributes, breakdowns as maps keyed by
 * protocol ({@code TLSv1.2}), mechanism ({@code session_id}, {@code ticket}, {@code tls13_psk}) or miss
 * reason ({@code unknown}, {@code expired}, ...). Readable in jconsole.
 */
public interface ResumptionMetricsMXBean {

    /** @return handshakes that did not resume, all protocols */
    long getHandshakesFull();

    /** @return handshakes that resumed a session, all protocols */
    long getHandshakesResumed();

    /** @return ClientHellos that asked to resume, all mechanisms */
    long getResumptionsRequested();

    /** @return requested resumptions that resumed */
    long getHits();

    /** @return requested resumptions that ended in a full handshake */
    long getMisses();

    /** @return failed or timed-out session store calls */
    long getStoreErrors();

    /** @return new encrypting ticket keys since start */
    long getKeyRotations();

    /** @return session tickets sent */
    long getTicketsIssued();

    /** @return sessions written to the session store */
    long getSessionsStored();

    /** @return session writes dropped because the store's queue was full */
    long getStoreWritesDropped();

    /** @return sweeps of expired sessions */
    long getSweeps();

    /** @return expired sessions deleted by sweeps */
    long getSessionsSwept();

    /** @return the time all sweeps took, in milliseconds */
    long getSweepMillis();

    /**
     * @return stored ticket keys this node could not open (sealed under a data key it lacks), each counted
     *         once; not zero means this node lacks a key the others use
     */
    long getTicketKeysUnreadable();

    /**
     * @return session lookups that found a stored session sealed under a data key this node lacks (left in
     *         place for the nodes that have it); not zero means this node lacks a key the others use
     */
    long getSessionsUnreadable();

    /**
     * @return sessions the store did not keep because it held as many as it may ({@code jdbcMaxSessions});
     *         not zero means the limit is too low for the traffic, or clients are making sessions to fill it
     */
    long getSessionsRefused();

    /** @return full handshakes by protocol */
    Map<String, Long> getHandshakesFullByProtocol();

    /** @return resumed handshakes by protocol */
    Map<String, Long> getHandshakesResumedByProtocol();

    /** @return requested resumptions by mechanism */
    Map<String, Long> getRequestedByMechanism();

    /** @return hits by mechanism */
    Map<String, Long> getHitsByMechanism();

    /** @return misses by reason */
    Map<String, Long> getMissesByReason();
}
