package org.reprise.core.session;

import java.time.Instant;
import java.util.List;
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
 * <p>{@link #retrieve} checks each record's {@link SessionRecord#expires() expiry} against the caller's
 * clock, so an expired record is never returned; {@link #sweepExpired} frees them. Sessions are lost when
 * the JVM stops. Thread-safe; {@code retrieve} is one hash lookup and neither it nor {@code store} takes
 * a lock.
 */
public final class MemorySessionStore implements SessionStore {

    private final long maximumSize;
    private final ConcurrentHashMap<SessionId, SessionRecord> sessions = new ConcurrentHashMap<>();
    /** Every record in the order it was stored; records already replaced or removed are skipped. */
    private final Queue<SessionRecord> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicLong size = new AtomicLong();

    /**
     * @param maximumSize how many sessions to keep at most; at least 1
     */
    public MemorySessionStore(long maximumSize) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximumSize must be at least 1, not " + maximumSize);
        }
        this.maximumSize = maximumSize;
    }

    @Override
    public void store(SessionRecord record) {
        if (sessions.put(record.id(), record) == null) {
            size.incrementAndGet();
        }
        // queued only once in the map: a concurrent store trimming the queue could otherwise take this record
        // before it is there, find nothing to drop, and leave it out of the order for good
        arrivals.add(record);
        while (size.get() > maximumSize) {
            SessionRecord oldest = arrivals.poll();
            if (oldest == null) {
                return;
            }
            forget(oldest);
        }
    }

    @Override
    public @Nullable SessionRecord retrieve(SessionId id, Instant now) {
        SessionRecord record = sessions.get(id);
        if (record == null || record.isExpiredAt(now)) {
            return null;
        }
        return record;
    }

    @Override
    public boolean remove(SessionId id) {
        if (sessions.remove(id) == null) {
            return false;
        }
        size.decrementAndGet();
        return true;
    }

    @Override
    public long removeAll() {
        long removed = 0;
        for (SessionId id : sessions.keySet()) {
            removed += remove(id) ? 1 : 0;
        }
        arrivals.removeIf(r -> sessions.get(r.id()) != r);
        return removed;
    }

    @Override
    public SessionPage list(SessionQuery query, Instant now) {
        List<SessionRecord> matches = sessions.values().stream()
                .filter(r -> !r.isExpiredAt(now) && query.matches(r))
                .sorted(query.comparator())
                .toList();
        int from = (int) Math.min(query.offset(), matches.size());
        int to = (int) Math.min((long) from + query.limit(), matches.size());
        return new SessionPage(matches.subList(from, to), matches.size(), query.offset(), query.limit());
    }

    @Override
    public long sweepExpired(Instant now) {
        long removed = 0;
        for (SessionRecord r : sessions.values()) {
            removed += r.isExpiredAt(now) && forget(r) ? 1 : 0;
        }
        // drops what was replaced or removed, so that the queue stays as long as the store
        arrivals.removeIf(r -> sessions.get(r.id()) != r);
        return removed;
    }

    /** @return how many sessions the store holds, exact when no call is under way */
    public long estimatedSize() {
        return size.get();
    }

    /** Removes this very record (by identity), not a newer one stored under the same ID. */
    private boolean forget(SessionRecord record) {
        boolean[] removed = {false};
        sessions.computeIfPresent(record.id(), (id, current) -> {
            if (current != record) {
                return current;
            }
            removed[0] = true;
            return null;
        });
        if (removed[0]) {
            size.decrementAndGet();
        }
        return removed[0];
    }
}
