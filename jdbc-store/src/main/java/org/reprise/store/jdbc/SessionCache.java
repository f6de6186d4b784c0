package org.reprise.store.jdbc;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.reprise.core.session.MemorySessionStore;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionRecord;

/**
 * This node's sessions in memory, in front of the database: core's bounded, expiring memory store, plus
 * an invalidation counter so that a lookup racing with a purge cannot put the purged session back. The
 * memory store's tombstones are this node's knowledge of purges (its own and those it heard of), which
 * {@link #isPurged} answers from. Thread-safe.
 */
final class SessionCache {

    private final int size;
    private final Clock clock;
    private volatile MemorySessionStore sessions;
    private final AtomicLong invalidations = new AtomicLong();

    SessionCache(int size, Clock clock) {
        this.size = size;
        this.clock = clock;
        this.sessions = new MemorySessionStore(size, clock);
    }

    /** @return whether a purge this node knows of covers the session */
    boolean isPurged(SessionRecord record, Instant now) {
        return sessions.isPurged(record, now);
    }

    /** @return the cached session, or null if there is none or it has expired at {@code now} */
    @Nullable SessionRecord get(SessionId id, Instant now) {
        return sessions.retrieve(id, now);
    }

    void put(SessionRecord record) {
        sessions.store(record);
    }

    void recordResumption(SessionId id, Instant at) {
        sessions.recordResumption(id, at);
    }

    /** @return how many expired sessions were dropped */
    long sweepExpired(Instant now) {
        return sessions.sweepExpired(now);
    }

    /** @return a mark to pass to {@link #putUnlessInvalidatedSince}, taken before reading the database */
    long mark() {
        return invalidations.get();
    }

    /**
     * Caches a session read from the database, unless something was invalidated since {@code mark}: that
     * may have been this very session, purged after the read.
     */
    void putUnlessInvalidatedSince(SessionRecord record, long mark) {
        sessions.store(record);
        if (invalidations.get() != mark) {
            // Evicted, not removed: a remove would stand as a purge of this session, which may be live
            sessions.evict(record.id());
        }
    }

    /** @return when the cached session expires, 0 if it is not cached */
    long expiryOf(SessionId id) {
        SessionRecord cached = sessions.retrieve(id, Instant.EPOCH);
        return cached == null ? 0 : cached.expires().toEpochMilli();
    }

    /** @return whether the session was cached */
    boolean invalidate(SessionId id) {
        invalidations.incrementAndGet();
        return sessions.remove(id);
    }

    /** Drops one realm's sessions, and stands for it against the sessions authenticated up to now. */
    void invalidateRealm(String realm) {
        invalidations.incrementAndGet();
        sessions.removeAll(realm);
    }

    /**
     * Drops everything, tombstones included: for a node that missed purges and no longer knows which. The
     * database's tombstones still cover every lookup.
     */
    void invalidateAll() {
        invalidations.incrementAndGet();
        sessions = new MemorySessionStore(size, clock);
    }
}
