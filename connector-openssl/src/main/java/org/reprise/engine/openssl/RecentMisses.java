package org.reprise.engine.openssl;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reprise.core.session.SessionId;

/**
 * Session IDs that were just looked up in the store and not found: offered again soon (the same ClientHello
 * sent on many connections, a browser's parallel connections), they miss without a second lookup.
 *
 * <p>Bounded in size and in time, since clients choose what they offer: at most {@code capacity} IDs, the
 * oldest dropped first, each for {@code ttl} by the clock the caller passes (the connector's injected one).
 * Only a plain "not found" belongs here; a lookup that failed says nothing about the session. Thread-safe.
 */
final class RecentMisses {

    private final int capacity;
    private final Duration ttl;
    /** Insertion order is age order: entries are never refreshed in place, only removed and re-added. */
    private final LinkedHashMap<SessionId, Instant> missed = new LinkedHashMap<>();

    /**
     * @param capacity the most IDs kept; positive
     * @param ttl      how long a miss is remembered; positive
     */
    RecentMisses(int capacity, Duration ttl) {
        if (capacity <= 0 || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("capacity and ttl must be positive");
        }
        this.capacity = capacity;
        this.ttl = ttl;
    }

    /** @return whether {@code id} missed less than the ttl before {@code now} */
    synchronized boolean contains(SessionId id, Instant now) {
        dropExpired(now);
        Instant at = missed.get(id);
        if (at == null) {
            return false;
        }
        // checked on the entry itself too: after the clock went back, age order and insertion order differ,
        // and a miss must never count for longer than its ttl nor from before it happened
        if (now.isBefore(at) || !now.isBefore(at.plus(ttl))) {
            missed.remove(id);
            return false;
        }
        return true;
    }

    /** Notes that {@code id} was not found at {@code now}. */
    synchronized void add(SessionId id, Instant now) {
        missed.remove(id);
        missed.put(id, now);
        if (missed.size() > capacity) {
            Iterator<SessionId> oldest = missed.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        dropExpired(now);
    }

    /** Forgets a miss: {@code id} is a session now. */
    synchronized void forget(SessionId id) {
        missed.remove(id);
    }

    /** @return how many misses are remembered (expired ones included until the next call drops them) */
    synchronized int size() {
        return missed.size();
    }

    /**
     * Drops misses older than the ttl. The oldest come first (unless the clock went back), so this stops at the
     * first live one: it frees memory early, {@link #contains} does not rely on it.
     */
    private void dropExpired(Instant now) {
        Instant limit = now.minus(ttl);
        for (Iterator<Map.Entry<SessionId, Instant>> it = missed.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().isAfter(limit)) {
                return;
            }
            it.remove();
        }
    }
}
