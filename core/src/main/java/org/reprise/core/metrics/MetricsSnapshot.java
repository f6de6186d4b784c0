package org.reprise.core.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counter values read at one moment (see {@link ResumptionMetrics} for how consistent that moment is).
 * Maps keep the order of their enum and hold every key, zero or not.
 *
 * @param handshakesFullByProtocol    full handshakes by protocol label
 * @param handshakesResumedByProtocol resumed handshakes by protocol label
 * @param requestedByMechanism        requested resumptions by mechanism label
 * @param hitsByMechanism             resumptions granted by mechanism label
 * @param missesByReason              resumptions refused by reason label
 * @param storeErrors                 failed store calls
 * @param keyRotations                ticket key rotations
 * @param ticketsIssued               tickets sent
 * @param sessionsStored              sessions written to the store
 * @param storeWritesDropped          session writes dropped because the store's queue was full
 * @param sweeps                      sweeps of expired sessions
 * @param sessionsSwept               expired sessions deleted by sweeps
 * @param sweepMillis                 the time all sweeps took, in milliseconds
 * @param ticketKeysUnreadable        stored ticket keys this node could not open, each counted once
 * @param sessionsUnreadable          lookups that found a session sealed under a data key this node lacks
 * @param sessionsRefused             sessions not kept because the store was full
 */
public record MetricsSnapshot(
        Map<String, Long> handshakesFullByProtocol,
        Map<String, Long> handshakesResumedByProtocol,
        Map<String, Long> requestedByMechanism,
        Map<String, Long> hitsByMechanism,
        Map<String, Long> missesByReason,
        long storeErrors,
        long keyRotations,
        long ticketsIssued,
        long sessionsStored,
        long storeWritesDropped,
        long sweeps,
        long sessionsSwept,
        long sweepMillis,
        long ticketKeysUnreadable,
        long sessionsUnreadable,
        long sessionsRefused) {

    /** Freezes the maps. */
    public MetricsSnapshot {
        handshakesFullByProtocol = frozen(handshakesFullByProtocol);
        handshakesResumedByProtocol = frozen(handshakesResumedByProtocol);
        requestedByMechanism = frozen(requestedByMechanism);
        hitsByMechanism = frozen(hitsByMechanism);
        missesByReason = frozen(missesByReason);
    }

    private static Map<String, Long> frozen(Map<String, Long> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /**
     * @param reason a miss reason
     * @return how many misses had it
     */
    public long misses(MissReason reason) {
        return missesByReason.getOrDefault(reason.label(), 0L);
    }

    /**
     * @param mechanism a mechanism
     * @return how many resumptions it granted
     */
    public long hits(Mechanism mechanism) {
        return hitsByMechanism.getOrDefault(mechanism.label(), 0L);
    }

    /**
     * @param mechanism a mechanism
     * @return how many resumptions were requested with it
     */
    public long requested(Mechanism mechanism) {
        return requestedByMechanism.getOrDefault(mechanism.label(), 0L);
    }

    /** @return full handshakes, all protocols */
    public long handshakesFull() {
        return handshakesFullByProtocol.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return resumed handshakes, all protocols */
    public long handshakesResumed() {
        return handshakesResumedByProtocol.values().stream().mapToLong(Long::longValue).sum();
    }
}
