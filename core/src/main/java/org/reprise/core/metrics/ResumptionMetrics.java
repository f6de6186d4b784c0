package org.reprise.core.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The resumption counters of one connector (or of several, when they are given the same instance).
 *
 * <p>Every counting method is lock-free and allocation-free ({@link LongAdder} per counter), so the
 * handshake path can call it freely. Reads are not atomic across counters: a {@link #snapshot()} taken
 * while handshakes run may see one counter move before another. Counters only grow.
 *
 * <p>How the counters relate, per handshake: a full handshake counts {@code handshakes_full}; a
 * ClientHello that asks to resume counts {@code requested} for its mechanism, then either {@code hits}
 * (and {@code handshakes_resumed}) or exactly one {@code misses} reason (and {@code handshakes_full}).
 */
public final class ResumptionMetrics implements ResumptionMetricsMXBean {

    private final LongAdder[] fullByProtocol = adders(Protocol.values().length);
    private final LongAdder[] resumedByProtocol = adders(Protocol.values().length);
    private final LongAdder[] requestedByMechanism = adders(Mechanism.values().length);
    private final LongAdder[] hitsByMechanism = adders(Mechanism.values().length);
    private final LongAdder[] missesByReason = adders(MissReason.values().length);
    private final LongAdder storeErrors = new LongAdder();
    private final LongAdder keyRotations = new LongAdder();
    private final LongAdder ticketsIssued = new LongAdder();
    private final LongAdder sessionsStored = new LongAdder();
    private final LongAdder storeWritesDropped = new LongAdder();
    private final LongAdder sweeps = new LongAdder();
    private final LongAdder sessionsSwept = new LongAdder();
    private final LongAdder sweepMillis = new LongAdder();
    private final LongAdder ticketKeysUnreadable = new LongAdder();
    private final LongAdder sessionsUnreadable = new LongAdder();
    private final LongAdder sessionsRefused = new LongAdder();

    /** Makes counters that all start at zero. */
    public ResumptionMetrics() {
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    /** @param protocol the protocol of a handshake that did not resume */
    public void fullHandshake(Protocol protocol) {
        fullByProtocol[protocol.ordinal()].increment();
    }

    /**
     * Counts a resumed handshake: a hit for the mechanism and a resumed handshake for the protocol.
     *
     * @param mechanism how the client asked
     * @param protocol  the handshake's protocol
     */
    public void resumed(Mechanism mechanism, Protocol protocol) {
        hitsByMechanism[mechanism.ordinal()].increment();
        resumedByProtocol[protocol.ordinal()].increment();
    }

    /** @param mechanism how a client asked to resume */
    public void requested(Mechanism mechanism) {
        requestedByMechanism[mechanism.ordinal()].increment();
    }

    /** @param reason why a requested resumption did not happen */
    public void missed(MissReason reason) {
        missesByReason[reason.ordinal()].increment();
    }

    /** Counts a failed or timed-out call to the session store. */
    public void storeError() {
        storeErrors.increment();
    }

    /** Counts a new encrypting ticket key. */
    public void keyRotated() {
        keyRotations.increment();
    }

    /** Counts a session ticket sent to a client. */
    public void ticketIssued() {
        ticketsIssued.increment();
    }

    /** Counts a session written to the store. */
    public void sessionStored() {
        sessionsStored.increment();
    }

    /** Counts a session write the store dropped because its queue was full. */
    public void storeWriteDropped() {
        storeWritesDropped.increment();
    }

    /**
     * Counts a stored ticket key this node cannot open (a shared store's row sealed under a data key this
     * node lacks, or damaged): once per key, however often the store is read.
     */
    public void ticketKeyUnreadable() {
        ticketKeysUnreadable.increment();
    }

    /**
     * Counts a session lookup that found a stored session this node cannot open because it is sealed under a
     * data key this node lacks (another node's session, left in place): a miss here.
     */
    public void sessionUnreadable() {
        sessionsUnreadable.increment();
    }

    /**
     * Counts a session the store did not keep because it holds as many as it may (the JDBC store's
     * {@code jdbcMaxSessions}): its client makes a full handshake next time on another node.
     */
    public void sessionRefused() {
        sessionsRefused.increment();
    }

    /**
     * Counts one sweep of expired sessions.
     *
     * @param removed how many sessions it deleted
     * @param took    how long it took
     */
    public void swept(long removed, java.time.Duration took) {
        sweeps.increment();
        sessionsSwept.add(removed);
        sweepMillis.add(took.toMillis());
    }

    /** @return every counter's current value */
    public MetricsSnapshot snapshot() {
        return new MetricsSnapshot(
                byLabel(Protocol.values(), fullByProtocol),
                byLabel(Protocol.values(), resumedByProtocol),
                byLabel(Mechanism.values(), requestedByMechanism),
                byLabel(Mechanism.values(), hitsByMechanism),
                byLabel(MissReason.values(), missesByReason),
                storeErrors.sum(), keyRotations.sum(), ticketsIssued.sum(), sessionsStored.sum(),
                storeWritesDropped.sum(), sweeps.sum(), sessionsSwept.sum(), sweepMillis.sum(),
                ticketKeysUnreadable.sum(), sessionsUnreadable.sum(), sessionsRefused.sum());
    }

    private static Map<String, Long> byLabel(Enum<?>[] keys, LongAdder[] adders) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (Enum<?> key : keys) {
            map.put(label(key), adders[key.ordinal()].sum());
        }
        return map;
    }

    private static String label(Enum<?> key) {
        if (key instanceof Protocol p) {
            return p.label();
        }
        if (key instanceof Mechanism m) {
            return m.label();
        }
        return ((MissReason) key).label();
    }

    private static long sum(LongAdder[] adders) {
        long total = 0;
        for (LongAdder adder : adders) {
            total += adder.sum();
        }
        return total;
    }

    @Override
    public long getHandshakesFull() {
        return sum(fullByProtocol);
    }

    @Override
    public long getHandshakesResumed() {
        return sum(resumedByProtocol);
    }

    @Override
    public long getResumptionsRequested() {
        return sum(requestedByMechanism);
    }

    @Override
    public long getHits() {
        return sum(hitsByMechanism);
    }

    @Override
    public long getMisses() {
        return sum(missesByReason);
    }

    @Override
    public long getStoreErrors() {
        return storeErrors.sum();
    }

    @Override
    public long getKeyRotations() {
        return keyRotations.sum();
    }

    @Override
    public long getTicketsIssued() {
        return ticketsIssued.sum();
    }

    @Override
    public long getSessionsStored() {
        return sessionsStored.sum();
    }

    @Override
    public long getStoreWritesDropped() {
        return storeWritesDropped.sum();
    }

    @Override
    public long getSweeps() {
        return sweeps.sum();
    }

    @Override
    public long getSessionsSwept() {
        return sessionsSwept.sum();
    }

    @Override
    public long getSweepMillis() {
        return sweepMillis.sum();
    }

    @Override
    public long getTicketKeysUnreadable() {
        return ticketKeysUnreadable.sum();
    }

    @Override
    public long getSessionsUnreadable() {
        return sessionsUnreadable.sum();
    }

    @Override
    public long getSessionsRefused() {
        return sessionsRefused.sum();
    }

    @Override
    public Map<String, Long> getHandshakesFullByProtocol() {
        return byLabel(Protocol.values(), fullByProtocol);
    }

    @Override
    public Map<String, Long> getHandshakesResumedByProtocol() {
        return byLabel(Protocol.values(), resumedByProtocol);
    }

    @Override
    public Map<String, Long> getRequestedByMechanism() {
        return byLabel(Mechanism.values(), requestedByMechanism);
    }

    @Override
    public Map<String, Long> getHitsByMechanism() {
        return byLabel(Mechanism.values(), hitsByMechanism);
    }

    @Override
    public Map<String, Long> getMissesByReason() {
        return byLabel(MissReason.values(), missesByReason);
    }
}
