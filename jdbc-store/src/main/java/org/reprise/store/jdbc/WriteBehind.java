package org.reprise.store.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionRecord;

/**
 * Takes session writes off the handshake's path: {@link #offer} only queues (or drops, when the bounded
 * queue is full), and one writer thread hands batches to the database. Removals coordinate with it
 * through {@link #discard}, so a write still queued or in flight cannot bring back a session that was
 * just removed. Thread-safe.
 */
final class WriteBehind implements AutoCloseable {

    /**
     * One queued write: a whole session to insert or replace, or a resumption of one, which only updates
     * the row if it is still there.
     *
     * @param id        the session
     * @param record    the session to write, or null for a resumption
     * @param resumedAt when it resumed, for a resumption; null otherwise
     */
    record Write(SessionId id, @Nullable SessionRecord record, @Nullable Instant resumedAt) {

        static Write session(SessionRecord record) {
            return new Write(record.id(), record, null);
        }

        static Write resumption(SessionId id, Instant at) {
            return new Write(id, null, at);
        }
    }

    /** Where batches go; throws when the database fails, and the batch is then lost. */
    @FunctionalInterface
    interface Sink {
        void write(List<Write> batch);
    }

    private static final Logger LOG = Logger.getLogger(WriteBehind.class.getPackageName());
    private static final int MAX_BATCH = 256;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final int capacity;
    private final Sink sink;
    private final ResumptionMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition batchDone = lock.newCondition();
    private final ArrayDeque<Write> queue = new ArrayDeque<>();
    private final Thread writer;
    /** Guarded by {@link #lock}: the batch the writer is writing, empty between batches. */
    private List<Write> inFlight = List.of();
    /** Guarded by {@link #lock}. */
    private boolean closed;

    WriteBehind(int capacity, Sink sink, ResumptionMetrics metrics, String threadName) {
        this.capacity = capacity;
        this.sink = sink;
        this.metrics = metrics;
        this.writer = new Thread(this::run, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues a write; when the queue is full (or closed) drops it and counts the drop. Never blocks on I/O. */
    void offer(Write write) {
        lock.lock();
        try {
            if (closed || queue.size() >= capacity) {
                metrics.storeWriteDropped();
                return;
            }
            queue.addLast(write);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets queued writes of one session and waits until no batch holding it is being written. */
    void discard(SessionId id) {
        discardWhere(r -> r.id().equals(id));
    }

    /** Forgets every queued write and waits for the batch in flight. */
    void discardAll() {
        discardWhere(r -> true);
    }

    /**
     * Waits until every write queued before the call has been written or has failed.
     *
     * @return false if that took longer than {@code timeout}
     */
    boolean flush(Duration timeout) {
        lock.lock();
        try {
            long left = timeout.toNanos();
            while (!queue.isEmpty() || !inFlight.isEmpty()) {
                if (left <= 0) {
                    return false;
                }
                left = batchDone.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking writes, writes what is queued (waiting up to 30 s), and stops the writer. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        try {
            writer.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.warning("Reprise JDBC store: pending session writes not finished after " + CLOSE_WAIT.toSeconds()
                    + " s; giving up on them");
            writer.interrupt();
        }
    }

    private void discardWhere(Predicate<Write> which) {
        lock.lock();
        try {
            queue.removeIf(which);
            long left = CLOSE_WAIT.toNanos();
            while (inFlight.stream().anyMatch(which) && left > 0) {
                left = batchDone.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        List<Write> batch;
        while ((batch = nextBatch()) != null) {
            try {
                sink.write(batch);
            } catch (RuntimeException e) {
                // The database layer has logged the outage; every write of the batch is lost
                for (int i = 0; i < batch.size(); i++) {
                    metrics.storeError();
                }
            }
            lock.lock();
            try {
                inFlight = List.of();
                batchDone.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** @return the next batch, marked in flight; null once closed and drained */
    private @Nullable List<Write> nextBatch() {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                notEmpty.awaitUninterruptibly();
            }
            List<Write> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
            while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                batch.add(queue.pollFirst());
            }
            inFlight = batch;
            return batch;
        } finally {
            lock.unlock();
        }
    }
}
