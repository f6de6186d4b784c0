package org.reprise.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.reprise.core.session.SessionId;

/**
 * Makes a purge on any node take effect on this one: every poll interval (250 ms by default) it reads the
 * purges recorded since the last one it saw, drops those sessions from this node's cache and forgets this
 * node's queued writes of them, so that a write queued here cannot bring a session purged there back.
 *
 * <p>Why polling: it works the same on PostgreSQL and H2, and costs one indexed one-row read per interval
 * when nothing happens. PostgreSQL's LISTEN/NOTIFY would push purges sooner, but needs a connection held
 * open outside the pool, exists only on PostgreSQL, and loses notifications sent while that connection
 * is down, which a poll of a numbered log cannot. It starts from the newest purge at the moment the store became
 * ready, before any lookup could cache a row, so a late first poll misses nothing. When this node cannot be
 * sure it saw every purge (it was cut off for longer than purges are kept), it drops its whole cache.
 *
 * <p>Poll failures are not counted as store errors (no session call failed), but they report to the
 * outage log like any other call, which makes the poller the store's health check: an outage is logged,
 * and so is its end, even when no handshake happens. Its thread is the only one touching its state.
 */
final class PurgePoller implements AutoCloseable {

    /** How long purges are kept: far longer than any poll interval, short enough to keep the table tiny. */
    static final Duration RETENTION = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger(PurgePoller.class.getPackageName());

    private final Database db;
    private final PurgeLog purges;
    private final SessionCache cache;
    private final JdbcSessionStore sessions;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    /** The newest purge this node has applied; -1 until the first successful poll. */
    private long seen = -1;
    private long nextCleanup;

    PurgePoller(Database db, PurgeLog purges, SessionCache cache, JdbcSessionStore sessions, Duration interval,
            Clock clock, String threadName) {
        this.db = db;
        this.sessions = sessions;
        this.clock = clock;
        this.purges = purges;
        this.cache = cache;
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::pollQuietly, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Lets a poll under way finish (an interrupted one would log a false outage), then stops. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void pollQuietly() {
        try {
            db.call("poll purges", (c, d) -> {
                poll(c);
                return null;
            });
        } catch (RuntimeException e) {
            // Already in the outage log; an escaping exception would cancel the schedule
            LOG.log(Level.FINE, "purge poll failed", e);
        }
    }

    private void poll(Connection c) throws SQLException {
        long latest = purges.latest(c);
        if (seen < 0) {
            // Not the number read now: a busy machine can run this first poll late, after lookups cached rows that
            // were purged since the store became ready
            seen = db.purgesAtReady();
        }
        if (latest != seen) {
            apply(purges.between(c, seen, latest), latest - seen);
            seen = latest;
        }
        long now = clock.millis();
        if (now >= nextCleanup) {
            purges.deleteBefore(c, now - RETENTION.toMillis(), now);
            nextCleanup = now + RETENTION.toMillis() / 2;
        }
    }

    private void apply(List<PurgeLog.Purge> found, long expected) {
        if (found.size() != expected) {
            // Some were deleted before this node read them
            cache.invalidateAll();
            return;
        }
        for (PurgeLog.Purge purge : found) {
            if (purge.sessionId() == null) {
                sessions.purgedElsewhere(null, purge.realm());
            } else {
                try {
                    sessions.purgedElsewhere(SessionId.fromHex(purge.sessionId()), null);
                } catch (IllegalArgumentException notAnId) {
                    cache.invalidateAll();
                }
            }
        }
    }
}
