package org.reprise.tomcat;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.reprise.core.internal.ResumptionContext;

/**
 * The background work of one connector, on one daemon thread: refreshing the ticket key ring every
 * {@link #KEY_REFRESH} (picking up keys other nodes added, and storing the next key ahead of time: the
 * handshake never calls the key store), and sweeping expired sessions out of the store. While the key store
 * fails the ring backs off by itself (up to a minute between tries). A failing store is logged once when it
 * starts failing and once when it recovers, never once per attempt.
 */
final class Maintenance implements AutoCloseable {

    /** How often keys are refreshed from the key store: nodes adopt a new key within this time. */
    static final Duration KEY_REFRESH = Duration.ofSeconds(2);

    private static final Log log = LogFactory.getLog(Maintenance.class);

    private final ResumptionContext context;
    private final String connector;
    private final ScheduledExecutorService executor;
    private volatile boolean keyStoreFailing;
    private volatile boolean sweepFailing;

    Maintenance(ResumptionContext context, String connector, Duration sweepInterval) {
        this.context = context;
        this.connector = connector;
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "reprise-maintenance-" + connector);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::refreshKeys, 0, KEY_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::sweep, sweepInterval.toMillis(), sweepInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void refreshKeys() {
        try {
            if (!context.keyRing().refresh()) {
                return; // the ring is backing off after a failure: still failing as far as anyone knows
            }
            if (keyStoreFailing) {
                keyStoreFailing = false;
                log.info("Reprise connector " + connector + ": the ticket key store answers again");
            }
        } catch (RuntimeException e) {
            if (!keyStoreFailing) {
                keyStoreFailing = true;
                log.warn("Reprise connector " + connector + ": cannot refresh ticket keys, carrying on with the keys "
                        + "already loaded: " + e);
            }
        }
    }

    private void sweep() {
        try {
            long started = System.nanoTime();
            long removed = context.store().sweepExpired(context.clock().instant());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            context.metrics().swept(removed, took);
            if (sweepFailing) {
                sweepFailing = false;
                log.info("Reprise connector " + connector + ": the session store can be swept again");
            }
            if (log.isDebugEnabled()) {
                log.debug("Reprise connector " + connector + ": swept " + removed + " expired sessions in "
                        + took.toMillis() + " ms");
            }
        } catch (RuntimeException e) {
            context.metrics().storeError();
            if (!sweepFailing) {
                sweepFailing = true;
                log.warn("Reprise connector " + connector + ": cannot sweep expired sessions: " + e);
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
