package org.reprise.core.session;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The purges a store must keep honouring after the rows are gone: one per removed session, standing until
 * the last session of its line could have expired, and one per realm purged as a whole, standing for the
 * sessions authenticated up to it until they have all expired. Bounded: past its capacity the purges that
 * no longer stand go, then the ones that stand shortest, down to half the capacity; the store drops the
 * sessions those still covered before they go (see {@link MemorySessionStore}). Thread-safe;
 * {@link #covers} takes no lock.
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
    }

    /** @return whether {@link #victims} should be called: more session purges are kept than the capacity */
    boolean overCapacity() {
        return sessions.size() > capacity;
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

    /** Forgets the purges that no longer stand at {@code now}: every session they covered has expired. */
    void sweep(Instant now) {
        sessions.values().removeIf(until -> !now.isBefore(until));
        // Every session authenticated before a realm purge has expired SessionLifetime.MAX after it
        realms.values().removeIf(at -> !now.isBefore(at.plus(SessionLifetime.MAX)));
    }

    /**
     * The session purges to forget to get back to half the capacity: those that no longer stand at
     * {@code now}, then those that stand shortest, since every session they cover expires soonest. Counted,
     * not cut at a time, so that purges standing until the same instant cannot keep the set from shrinking.
     * Call {@link #drop} with them once the sessions they cover are gone.
     */
    Map<SessionId, Instant> victims(Instant now) {
        List<Map.Entry<SessionId, Instant>> all = sessions.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue()))
                .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                .toList();
        int excess = Math.max(0, all.size() - capacity / 2);
        Map<SessionId, Instant> victims = new HashMap<>();
        for (Map.Entry<SessionId, Instant> e : all) {
            if (victims.size() >= excess && now.isBefore(e.getValue())) {
                break;
            }
            victims.put(e.getKey(), e.getValue());
        }
        return victims;
    }

    /** Forgets these purges, each unless it was renewed to stand longer since {@link #victims} chose it. */
    void drop(Map<SessionId, Instant> victims) {
        victims.forEach(sessions::remove);
    }

    /** @return how many session purges are kept; for tests */
    int sessionCount() {
        return sessions.size();
    }
}
