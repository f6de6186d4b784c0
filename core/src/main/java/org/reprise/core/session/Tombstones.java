package org.reprise.core.session;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The purges a store must keep honouring after the rows are gone: one per removed session, standing until
 * the last session of its line could have expired, and one per realm purged as a whole, standing for the
 * sessions authenticated up to it. Bounded: past its capacity the expired entries go, then the oldest half.
 * Thread-safe; {@link #covers} takes no lock.
 */
final class Tombstones {

    private final int capacity;
    /** Removed session (and line) IDs, to when the purge stands. */
    private final ConcurrentHashMap<SessionId, Instant> sessions = new ConcurrentHashMap<>();
    /** Realms purged as a whole, to the time of the newest purge; realms are configuration, not client input. */
    private final ConcurrentHashMap<String, Instant> realms = new ConcurrentHashMap<>();

    Tombstones(int capacity) {
        this.capacity = capacity;
    }

    void session(SessionId id, Instant until) {
        sessions.merge(id, until, (a, b) -> a.isAfter(b) ? a : b);
        if (sessions.size() > capacity) {
            trim();
        }
    }

    void realm(String realm, Instant at) {
        realms.merge(realm, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** @return whether a purge standing at {@code now} covers the record, by its ID, its origin or its realm */
    boolean covers(SessionRecord record, Instant now) {
        if (!sessions.isEmpty() && (stands(record.id(), now) || stands(record.origin(), now))) {
            return true;
        }
        Instant realmPurged = realms.isEmpty() ? null : realms.get(record.realm());
        return realmPurged != null && !record.authenticated().isAfter(realmPurged);
    }

    private boolean stands(SessionId id, Instant now) {
        Instant until = sessions.get(id);
        return until != null && now.isBefore(until);
    }

    void sweep(Instant now) {
        sessions.values().removeIf(until -> !now.isBefore(until));
    }

    /**
     * Makes room without a clock: the purges that stand shortest go first, since every session they cover
     * expires soonest.
     */
    private synchronized void trim() {
        if (sessions.size() <= capacity) {
            return;
        }
        Instant median = sessions.values().stream().sorted().skip(sessions.size() / 2).findFirst().orElse(Instant.MAX);
        for (Map.Entry<SessionId, Instant> e : sessions.entrySet()) {
            if (e.getValue().isBefore(median)) {
                sessions.remove(e.getKey(), e.getValue());
            }
        }
    }
}
