package org.reprise.core.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link SessionStore}: sessions in this JVM's heap, in a Caffeine cache bounded in size.
 *
 * <p>When full, the cache evicts the sessions least likely to be resumed (Caffeine's W-TinyLFU). Each
 * entry leaves the cache at its record's {@link SessionRecord#expires() expiry}; {@link #retrieve}
 * checks expiry again against the caller's clock, so an expired record is never returned. Sessions
 * are lost when the JVM stops. Thread-safe; {@code retrieve} and {@code store} take no lock.
 */
public final class MemorySessionStore implements SessionStore {

    private final Cache<SessionId, SessionRecord> cache;

    /**
     * @param maximumSize how many sessions to keep at most; at least 1
     */
    public MemorySessionStore(long maximumSize) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximumSize must be at least 1, not " + maximumSize);
        }
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(new UntilRecordExpires())
                .build();
    }

    @Override
    public void store(SessionRecord record) {
        cache.put(record.id(), record);
    }

    @Override
    public @Nullable SessionRecord retrieve(SessionId id, Instant now) {
        SessionRecord record = cache.getIfPresent(id);
        if (record == null || record.isExpiredAt(now)) {
            return null;
        }
        return record;
    }

    @Override
    public boolean remove(SessionId id) {
        return cache.asMap().remove(id) != null;
    }

    @Override
    public long removeAll() {
        long before = cache.estimatedSize();
        cache.invalidateAll();
        return before;
    }

    @Override
    public SessionPage list(SessionQuery query, Instant now) {
        List<SessionRecord> matches = cache.asMap().values().stream()
                .filter(r -> !r.isExpiredAt(now) && query.matches(r))
                .sorted(query.comparator())
                .toList();
        int from = (int) Math.min(query.offset(), matches.size());
        int to = (int) Math.min((long) from + query.limit(), matches.size());
        return new SessionPage(matches.subList(from, to), matches.size(), query.offset(), query.limit());
    }

    @Override
    public long sweepExpired(Instant now) {
        long[] removed = {0};
        cache.asMap().values().removeIf(r -> {
            boolean expired = r.isExpiredAt(now);
            if (expired) {
                removed[0]++;
            }
            return expired;
        });
        cache.cleanUp();
        return removed[0];
    }

    /** @return about how many sessions the store holds */
    public long estimatedSize() {
        return cache.estimatedSize();
    }

    /** Lets Caffeine drop an entry on its own once the record's expiry has passed. */
    private static final class UntilRecordExpires implements Expiry<SessionId, SessionRecord> {
        @Override
        public long expireAfterCreate(SessionId key, SessionRecord value, long currentTime) {
            return nanosUntil(value.expires());
        }

        @Override
        public long expireAfterUpdate(SessionId key, SessionRecord value, long currentTime,
                long currentDuration) {
            return nanosUntil(value.expires());
        }

        @Override
        public long expireAfterRead(SessionId key, SessionRecord value, long currentTime,
                long currentDuration) {
            return currentDuration;
        }

        private static long nanosUntil(Instant expires) {
            Duration left = Duration.between(Instant.now(), expires);
            if (left.isNegative()) {
                return 0;
            }
            return left.compareTo(Duration.ofDays(365 * 100)) > 0 ? Long.MAX_VALUE : left.toNanos();
        }
    }
}
