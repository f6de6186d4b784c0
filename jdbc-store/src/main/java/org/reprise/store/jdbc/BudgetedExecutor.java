package org.reprise.store.jdbc;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs database lookups for handshake threads and waits for each at most its budget: JDBC has no
 * reliable way to bound a call from the calling thread (a pool's shortest wait is 250 ms, query timeouts
 * count whole seconds, a half-dead socket blocks far longer), so the call runs on a small pool of its own
 * and the handshake thread stops waiting when the budget is spent. A lookup left running finishes (or
 * hits its query timeout) in the background; its answer is dropped. The queue is bounded, so a stalled
 * database turns a burst of lookups into quick failures instead of a growing backlog. Thread-safe.
 */
final class BudgetedExecutor implements AutoCloseable {

    private static final int QUEUED_PER_THREAD = 8;

    private final ThreadPoolExecutor executor;
    private final Duration budget;
    private final OutageLog outage;

    BudgetedExecutor(int threads, Duration budget, OutageLog outage, String threadName) {
        this.budget = budget;
        this.outage = outage;
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * QUEUED_PER_THREAD), task -> {
                    Thread thread = new Thread(task, threadName + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /** @return the most a call waits */
    Duration budget() {
        return budget;
    }

    /**
     * @param operation what is done, for the log and the exception
     * @param task      the database work; its own failures are already a {@link SessionStoreUnavailableException}
     * @return the task's answer
     * @throws SessionStoreUnavailableException if the task failed, did not answer within the budget, or
     *                                          could not be queued
     */
    <T> T call(String operation, Callable<T> task) {
        Future<T> future;
        try {
            future = executor.submit(task);
        } catch (RejectedExecutionException e) {
            throw unavailable(operation, "too many lookups are waiting for the database", e);
        }
        try {
            return future.get(budget.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw unavailable(operation, "no answer within " + budget.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            future.cancel(false);
            Thread.currentThread().interrupt();
            throw new SessionStoreUnavailableException(operation + " was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new SessionStoreUnavailableException(operation + " failed", e.getCause());
        }
    }

    /** Lets lookups under way finish (they are bounded by the pool's connection timeout), then stops. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private SessionStoreUnavailableException unavailable(String operation, String why, Exception cause) {
        outage.failed(operation, new TimeoutException(why));
        return new SessionStoreUnavailableException("Reprise JDBC store: " + operation + ": " + why, cause);
    }
}
