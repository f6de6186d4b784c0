package org.reprise.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The one way the stores reach the database: a connection from the DataSource, the schema checked or
 * created on the first connection, and every failure turned into a {@link SessionStoreUnavailableException}
 * and reported to the {@link OutageLog}.
 *
 * <p>The first connection and the schema are made by a start-up thread of their own ({@link #start}), which
 * tries again, backing off, until the database answers or the store closes: on a cold JVM the first
 * connection alone can take longer than a pool's connection timeout (measured: 219 ms to PostgreSQL, over
 * 250 ms to a new H2 file), far longer than a handshake's lookup budget. Until then {@link #isReady()} is
 * false: handshake lookups fail at once rather than wait for it, and other work waits for it in
 * {@link #call}, up to {@link #STARTUP_WAIT} after the store opened.
 *
 * <p>Once the schema is in place the first connection runs the {@link DataKeyCheck}. A node it refuses
 * never becomes ready: {@link #awaitReady} throws the refusal (the connector then does not start), every
 * {@link #call} fails with it, and the start-up thread stops. Thread-safe.
 */
final class Database {

    /** A unit of work on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection, Dialect dialect) throws SQLException;
    }

    /**
     * How long after the store opened work that is not a handshake waits for the first connection; after
     * that, calls fail fast until the database answers, as in any outage.
     */
    static final Duration STARTUP_WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(Database.class.getPackageName());
    private static final Duration FIRST_RETRY = Duration.ofMillis(50);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(2);

    private final Supplier<DataSource> dataSources;
    private final Tables tables;
    private final boolean createSchema;
    private final OutageLog outage;
    private final Clock clock;
    private final DataKeyCheck dataKeyCheck;
    private final Object initLock = new Object();
    private volatile @Nullable DataSource dataSource;
    private volatile @Nullable Dialect dialect;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean closed;
    /** Why this node must not use the database, once the data key check said so; then final. */
    private volatile @Nullable String refusal;
    private final long openedNanos = System.nanoTime();
    private final PurgeLog purges;
    /** The newest purge when the store became ready; -1 before. */
    private volatile long purgesAtReady = -1;

    Database(Supplier<DataSource> dataSources, Tables tables, PurgeLog purges, boolean createSchema, OutageLog outage,
            Clock clock, DataKeyCheck dataKeyCheck) {
        this.dataSources = dataSources;
        this.purges = purges;
        this.dataKeyCheck = dataKeyCheck;
        this.clock = clock;
        this.tables = tables;
        this.createSchema = createSchema;
        this.outage = outage;
    }

    Tables tables() {
        return tables;
    }

    /** @return where the time recorded in rows is read */
    Clock clock() {
        return clock;
    }

    /**
     * Starts the thread that makes the first connection and the schema; it ends when that succeeded or
     * {@link #close} was called.
     *
     * @param threadName the thread's name
     */
    void start(String threadName) {
        Thread starter = new Thread(this::connectUntilReady, threadName);
        starter.setDaemon(true);
        starter.start();
    }

    /**
     * @return the number of the newest purge when the store became ready, -1 before: no lookup read a session
     *         before then, so the purges after it are all a node needs to apply to its cache
     */
    long purgesAtReady() {
        return purgesAtReady;
    }

    /** @return whether the first connection was made, the schema is in place and the data key check passed */
    boolean isReady() {
        return ready.getCount() == 0 && refusal == null;
    }

    /**
     * Waits for the first connection, the schema and the data key check.
     *
     * @return whether they are ready; false if {@code timeout} passed first
     * @throws IllegalStateException if the data key check refused this node, with what to set
     */
    boolean awaitReady(Duration timeout) {
        boolean done;
        try {
            done = ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        String refused = refusal;
        if (refused != null) {
            throw new IllegalStateException(refused);
        }
        return done;
    }

    /** Stops the start-up thread, if it is still trying. */
    void close() {
        closed = true;
    }

    private void awaitStartup() {
        long deadline = openedNanos + STARTUP_WAIT.toNanos();
        // In short slices, so that a store closing during start-up is not held up
        while (!isReady() && refusal == null && !closed && deadline - System.nanoTime() > 0) {
            awaitReady(FIRST_RETRY);
        }
    }

    private void connectUntilReady() {
        Duration pause = FIRST_RETRY;
        while (!closed) {
            try (Connection c = connect()) {
                outage.succeeded();
                return;
            } catch (Refused e) {
                return; // said once, at SEVERE; trying again would find the same rows
            } catch (SQLException | RuntimeException e) {
                outage.failed("first connection", e);
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause.multipliedBy(2);
        }
    }

    /**
     * Runs {@code work} on a pooled connection. Until the first connection was made it waits for it, up to
     * {@link #STARTUP_WAIT} after the store opened: handshake lookups, which must not wait, check
     * {@link #isReady()} first.
     *
     * @param operation what is done, for the log and the exception
     * @throws SessionStoreUnavailableException if the database could not be reached or the work failed
     */
    <T> T call(String operation, Work<T> work) {
        awaitStartup();
        try (Connection c = connect()) {
            T result = work.run(c, initializedDialect());
            outage.succeeded();
            return result;
        } catch (Refused e) {
            throw new SessionStoreUnavailableException(e.getMessage(), null);
        } catch (SQLException | RuntimeException e) {
            outage.failed(operation, e);
            throw new SessionStoreUnavailableException(
                    "Reprise JDBC store: " + operation + " failed: " + OutageLog.describe(e), e);
        }
    }

    /** Like {@link #call}, with the work in one transaction: committed if it returns, rolled back if it throws. */
    <T> T callInTransaction(String operation, Work<T> work) {
        return call(operation, (c, d) -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c, d);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailed) {
                    e.addSuppressed(rollbackFailed);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    private Connection connect() throws SQLException {
        String refused = refusal;
        if (refused != null) {
            throw new Refused(refused);
        }
        DataSource ds = dataSource;
        if (ds == null) {
            ds = dataSources.get();
            dataSource = ds;
        }
        Connection c = ds.getConnection();
        if (dialect == null) {
            try {
                initialize(c);
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    private void initialize(Connection c) throws SQLException {
        synchronized (initLock) {
            if (dialect != null) {
                return;
            }
            Dialect d = Dialect.of(c.getMetaData());
            if (createSchema) {
                Schema.migrate(c, d, tables, clock);
            } else {
                int found = Schema.currentVersion(c, tables);
                int needed = Schema.latestVersion(d, tables);
                if (found < needed) {
                    throw new SQLException("the tables " + tables.prefix() + "* are at schema version " + found
                            + ", this Reprise needs " + needed + "; start one node with jdbcCreateSchema=true");
                }
            }
            String refused = dataKeyCheck.refusal(c, tables, clock.millis());
            if (refused != null) {
                LOG.severe(refused);
                refusal = refused;
                ready.countDown(); // wakes whoever waits, to be told
                throw new Refused(refused);
            }
            // Nothing is read from the database before this point, so the purge poller applies every purge after it
            purgesAtReady = purges.latest(c);
            dialect = d;
            ready.countDown();
        }
    }

    /** The data key check refused this node: not an outage, never retried. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private Dialect initializedDialect() {
        Dialect d = dialect;
        if (d == null) {
            throw new IllegalStateException("connect() initializes the dialect");
        }
        return d;
    }
}
