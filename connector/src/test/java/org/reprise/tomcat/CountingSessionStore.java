package org.reprise.tomcat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.reprise.core.session.MemorySessionStore;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionPage;
import org.reprise.core.session.SessionQuery;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.session.SessionStore;

/**
 * A memory store that counts what an engine asks of it: the IDs looked up and the IDs removed. Passed to a
 * connector through {@code ResumptionSettings.builder().sessionStore(...)}, it shows what a client's handshake
 * costs the session database.
 *
 * <p>It can also stand for a slow database: after {@link #holdLookups()}, every lookup waits until the test lets
 * it through ({@link #letThrough(int)}) or opens the store for good ({@link #releaseAll()}), so that a test can
 * see what the server does while handshake threads wait on the store, without timing anything.
 */
final class CountingSessionStore implements SessionStore {

    private final SessionStore delegate = new MemorySessionStore(10_000, Clock.systemUTC());
    private final List<SessionId> retrieved = new ArrayList<>();
    private final List<SessionId> removed = new ArrayList<>();
    private final Semaphore permits = new Semaphore(0);
    private final Semaphore waiting = new Semaphore(0);
    private volatile boolean holding;

    /** From now on every lookup waits for {@link #letThrough(int)} or {@link #releaseAll()}. */
    void holdLookups() {
        holding = true;
    }

    /** Lets {@code lookups} waiting (or future) lookups through. */
    void letThrough(int lookups) {
        permits.release(lookups);
    }

    /** Stops holding lookups and lets every waiting one through. */
    void releaseAll() {
        holding = false;
        permits.release(Integer.MAX_VALUE / 2);
    }

    /**
     * Waits until a held lookup is waiting for the test.
     *
     * @return false if none arrived within {@code limit} (the test then fails; the limit is not a promise)
     */
    boolean awaitWaitingLookup(Duration limit) throws InterruptedException {
        return waiting.tryAcquire(limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** @return every ID looked up so far, in order */
    synchronized List<SessionId> retrieved() {
        return List.copyOf(retrieved);
    }

    /** @return every ID removed so far, in order */
    synchronized List<SessionId> removed() {
        return List.copyOf(removed);
    }

    @Override
    public void store(SessionRecord record) {
        delegate.store(record);
    }

    @Override
    public @Nullable SessionRecord retrieve(SessionId id, Instant now) {
        synchronized (this) {
            retrieved.add(id);
        }
        if (holding) {
            waiting.release();
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while held", e);
            }
        }
        return delegate.retrieve(id, now);
    }

    @Override
    public boolean remove(SessionId id) {
        synchronized (this) {
            removed.add(id);
        }
        return delegate.remove(id);
    }

    @Override
    public long removeAll(String realm) {
        return delegate.removeAll(realm);
    }

    @Override
    public SessionPage list(SessionQuery query, Instant now) {
        return delegate.list(query, now);
    }

    @Override
    public long sweepExpired(Instant now) {
        return delegate.sweepExpired(now);
    }
}
