package org.reprise.core.session;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link SessionStore}: sessions in this JVM's heap, bounded in number.
 *
 * <p>When full, the store drops the sessions stored longest ago first: a session just made is the one
 * its client is about to resume, and every session expires a fixed time after it is made, so the oldest
 * is also the nearest its end. (A frequency-based cache such as Caffeine's W-TinyLFU keeps sessions that
 * were resumed often and can turn away a new one for them; once full of them, new clients could not
 * resume at all.) The bound is exact once concurrent {@link #store} calls have returned.
 *
 * <p>Memory is bounded by the size whatever clients do: a {@link #recordResumption resumption} updates the
 * record in its place and queues nothing; a session stored again moves to the newest place, and the places
 * it and removed sessions leave behind keep no record and are cleared once there are as many of them as the
 * size, so the arrival order never holds more than about twice the size.
 *
 * <p>Purges stick: a {@link #remove removed} session stands as a tombstone until the last session of its line
 * could have expired, and a {@link #removeAll removed realm} until the sessions authenticated before it have;
 * a record they cover is neither kept by {@link #store} nor returned by {@link #retrieve}. Tombstones are
 * bounded by the size too: past it, those standing shortest go, with the sessions they still cover.
 *
 * <p>{@link #retrieve} checks each record's {@link SessionRecord#expires() expiry} against the caller's
 * clock, so an expired record is never returned; {@link #sweepExpired} frees them. Sessions are lost when
 * the JVM stops. Thread-safe; {@code retrieve} is one hash lookup and takes no lock.
 */
public final class MemorySessionStore implements SessionStore {

    /** A session's place in the arrival order; its record is replaced in place, and cleared when it goes. */
    private static final class Entry {
        final SessionId id;
        volatile @Nullable SessionRecord record;

        Entry(SessionRecord record) {
            this.id = record.id();
            this.record = record;
        }
    }

    private final long maximumSize;
    private final ConcurrentHashMap<SessionId, Entry> sessions = new ConcurrentHashMap<>();
    /** Every session in the order it was first stored; entries no longer in the map are skipped. */
    private final Queue<Entry> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicLong size = new AtomicLong();
    /** Entries removed from the map but still in {@link #arrivals}, since the queue was last cleared of them. */
    private final AtomicLong departed = new AtomicLong();
    private final Tombstones tombstones;
    private final Clock clock;

    /**
     * @param maximumSize how many sessions to keep at most; at least 1
     * @param clock       the time a purge is made at, for the tombstones it leaves
     */
    public MemorySessionStore(long maximumSize, Clock clock) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximumSize must be at least 1, not " + maximumSize);
        }
        this.maximumSize = maximumSize;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tombstones = new Tombstones((int) Math.min(maximumSize, Integer.MAX_VALUE));
    }

    @Override
    public void store(SessionRecord record) {
        if (tombstones.covers(record, record.created())) {
            return;
        }
        Entry added = new Entry(record);
        Entry replaced = sessions.put(record.id(), added);
        if (replaced == null) {
            size.incrementAndGet();
        } else {
            // stored again: the newest now; its old place keeps no record and is cleared with the others
            replaced.record = null;
            countDeparted();
        }
        // queued only once in the map: a concurrent store trimming the queue could otherwise take this entry
        // before it is there, find nothing to drop, and leave it out of the order for good
        arrivals.add(added);
        while (size.get() > maximumSize) {
            Entry oldest = arrivals.poll();
            if (oldest == null) {
                return;
            }
            forget(oldest);
        }
    }

    @Override
    public @Nullable SessionRecord retrieve(SessionId id, Instant now) {
        Entry entry = sessions.get(id);
        SessionRecord record = entry == null ? null : entry.record;
        if (record == null || record.isExpiredAt(now) || tombstones.covers(record, now)) {
            return null;
        }
        return record;
    }

    @Override
    public boolean isPurged(SessionRecord record, Instant now) {
        return tombstones.covers(record, now);
    }

    @Override
    public void recordResumption(SessionId id, Instant at) {
        sessions.computeIfPresent(id, (key, entry) -> {
            SessionRecord record = entry.record;
            if (record != null) {
                entry.record = record.resumedAt(at);
            }
            return entry;
        });
    }

    @Override
    public boolean remove(SessionId id) {
        Entry entry = sessions.remove(id);
        SessionRecord record = entry == null ? null : entry.record;
        // Sessions renewed from this one carry it as their origin: the tombstone stops them when they are
        // looked up, so a remove costs no scan. The line lives at most SessionLifetime.MAX past its
        // authentication; an unknown ID's line, at most that long from its making, which is no later than now.
        Instant authenticated = record != null ? record.authenticated() : clock.instant();
        tombstones.session(id, authenticated.plus(SessionLifetime.MAX));
        if (tombstones.overCapacity()) {
            trimTombstones();
        }
        if (entry == null) {
            return false;
        }
        departed(entry);
        return record != null;
    }

    /**
     * Drops a session from memory without purging it: for a cache in front of another store, which may
     * hold the session again later. Unlike {@link #remove}, it leaves no tombstone.
     *
     * @param id the session ID
     * @return whether a record was dropped
     */
    public boolean evict(SessionId id) {
        Entry entry = sessions.remove(id);
        if (entry == null) {
            return false;
        }
        boolean held = entry.record != null;
        departed(entry);
        return held;
    }

    @Override
    public long removeAll(String realm) {
        tombstones.realm(realm, clock.instant());
        long removed = 0;
        for (Entry entry : sessions.values()) {
            SessionRecord r = entry.record;
            if (r != null && r.realm().equals(realm) && sessions.remove(entry.id, entry)) {
                departed(entry);
                removed++;
            }
        }
        clearDeparted();
        return removed;
    }

    @Override
    public SessionPage list(SessionQuery query, Instant now) {
        List<SessionRecord> matches = sessions.values().stream()
                .map(e -> e.record)
                .filter(r -> r != null && !r.isExpiredAt(now) && query.matches(r))
                .sorted(query.comparator())
                .toList();
        int from = (int) Math.min(query.offset(), matches.size());
        int to = (int) Math.min((long) from + query.limit(), matches.size());
        return new SessionPage(matches.subList(from, to), matches.size(), query.offset(), query.limit());
    }

    @Override
    public long sweepExpired(Instant now) {
        long removed = 0;
        for (Entry entry : sessions.values()) {
            SessionRecord r = entry.record;
            if (r != null && r.isExpiredAt(now) && sessions.remove(entry.id, entry)) {
                entry.record = null;
                size.decrementAndGet();
                removed++;
            }
        }
        clearDeparted();
        tombstones.sweep(now);
        return removed;
    }

    /** @return how many sessions the store holds (exact once the calls under way have returned) */
    public long size() {
        return size.get();
    }

    /** @return how many session purges the store keeps standing; for tests */
    int tombstoneCount() {
        return tombstones.sessionCount();
    }

    /** @return how many places the arrival order holds, the removed sessions' included; for tests */
    long arrivalsQueued() {
        return arrivals.size();
    }

    /**
     * Keeps the tombstones within the size. A tombstone let go no longer stops what it covered, so the
     * sessions it still covers (the renewed ones, which {@link #remove} leaves in place) go first; one at a
     * time, as this scans every session, which a trim to half the size makes rare.
     */
    private synchronized void trimTombstones() {
        if (!tombstones.overCapacity()) {
            return;
        }
        Instant now = clock.instant();
        Map<SessionId, Instant> victims = tombstones.victims(now);
        for (Entry entry : sessions.values()) {
            SessionRecord r = entry.record;
            if (r != null && (victims.containsKey(r.id()) || victims.containsKey(r.origin()))
                    && sessions.remove(entry.id, entry)) {
                departed(entry);
            }
        }
        tombstones.drop(victims);
    }

    /** Removes this very entry (by identity), not a newer one stored under the same ID. */
    private void forget(Entry entry) {
        if (sessions.remove(entry.id, entry)) {
            entry.record = null;
            size.decrementAndGet();
        }
    }

    /** An entry left the map outside the arrival order: its secret goes now, its place once enough have. */
    private void departed(Entry entry) {
        entry.record = null;
        size.decrementAndGet();
        countDeparted();
    }

    private void countDeparted() {
        if (departed.incrementAndGet() > maximumSize) {
            clearDeparted();
        }
    }

    private void clearDeparted() {
        departed.set(0);
        arrivals.removeIf(e -> sessions.get(e.id) != e);
    }
}
