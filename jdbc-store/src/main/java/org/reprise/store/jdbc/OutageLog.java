package org.reprise.store.jdbc;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Logs a database outage once when it starts (WARNING) and once when it ends (INFO), however many calls
 * fail in between: a handshake per failed lookup would otherwise flood the log exactly when someone is
 * reading it. No stack traces; messages are stripped of anything that looks like a password. Thread-safe.
 */
final class OutageLog {

    private static final Logger LOG = Logger.getLogger(OutageLog.class.getPackageName());
    /** How long a newly opened store may fail before that counts as an outage. */
    static final Duration STARTUP_GRACE = Duration.ofSeconds(10);
    /** How long after an outage ends a failure still belongs to it. */
    static final Duration SETTLE = Duration.ofSeconds(2);

    private static final Pattern PASSWORD = Pattern.compile("(?i)(password|pwd)=[^&;\\s]*");

    private final String store;
    /** When the current outage began, in nanoTime; null while the database answers. */
    private final AtomicReference<@Nullable Long> downSince = new AtomicReference<>();
    private final AtomicLong failuresInOutage = new AtomicLong();
    private final long openedNanos = System.nanoTime();
    private volatile boolean everAnswered;
    /** When the last outage ended, in nanoTime; 0 before any. Guarded by this. */
    private long recoveredNanos;
    /** Whether the current outage is the tail of the previous one, and so goes unlogged. Guarded by this. */
    private boolean quiet;
    private volatile boolean stopped;

    /** @param store names the store in log lines, e.g. {@code reprise_* on node a} */
    OutageLog(String store) {
        this.store = store;
    }

    /** A call failed: starts an outage unless one is under way. */
    void failed(String operation, Throwable cause) {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        if (!everAnswered && now - openedNanos < STARTUP_GRACE.toNanos()) {
            // The pool is still making its first connections; a node that starts is not an outage.
            return;
        }
        failuresInOutage.incrementAndGet();
        synchronized (this) {
            if (downSince.get() != null) {
                return;
            }
            downSince.set(now);
            // Connections broken by the outage can still fail a call or two after it ended: that is the
            // same outage coming to an end, not a new one.
            quiet = recoveredNanos != 0 && now - recoveredNanos < SETTLE.toNanos();
            if (!quiet) {
                LOG.warning("Reprise JDBC store " + store + ": database calls fail (" + operation + ": "
                        + describe(cause) + "); sessions fall back to full handshakes and this node's cache until "
                        + "the database answers again. Further failures are counted, not logged.");
            }
        }
    }

    /** A call succeeded: ends the outage, if there was one. Lock-free while the database answers. */
    void succeeded() {
        if (!everAnswered) {
            everAnswered = true;
        }
        if (downSince.get() == null) {
            return;
        }
        synchronized (this) {
            Long since = downSince.getAndSet(null);
            if (since == null) {
                return;
            }
            recoveredNanos = System.nanoTime();
            long failures = failuresInOutage.getAndSet(0);
            if (!quiet) {
                LOG.info("Reprise JDBC store " + store + ": the database answers again after "
                        + Duration.ofNanos(recoveredNanos - since).toMillis() + " ms and " + failures
                        + " failed calls");
            }
        }
    }

    /** Stops logging: calls failing while the store closes fail because it closes, not because of an outage. */
    void stop() {
        stopped = true;
    }

    /** @return the failure and its root cause, in one line, without credentials */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(oneLine(failure));
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != failure) {
            text.append(", caused by ").append(oneLine(root));
        }
        return redact(text.toString());
    }

    /** @return the text with the value of every {@code password=} or {@code pwd=} replaced */
    static String redact(String text) {
        return PASSWORD.matcher(text).replaceAll("$1=***");
    }

    private static String oneLine(Throwable t) {
        String state = t instanceof SQLException s && s.getSQLState() != null
                ? " [SQLState " + s.getSQLState() + "]" : "";
        String message = t.getMessage() == null ? "" : ": " + t.getMessage().replaceAll("\\s+", " ").strip();
        return t.getClass().getSimpleName() + state + message;
    }
}
