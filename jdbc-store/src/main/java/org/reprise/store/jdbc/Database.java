package org.reprise.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The one way the stores reach the database: a connection from the DataSource (resolved at first use,
 * since a JNDI DataSource may not exist yet when the stores are opened), the schema checked or created
 * on the first connection, and every failure turned into a {@link SessionStoreUnavailableException} and
 * reported to the {@link OutageLog}. Thread-safe.
 */
final class Database {

    /** A unit of work on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection, Dialect dialect) throws SQLException;
    }

    private final Supplier<DataSource> dataSources;
    private final Tables tables;
    private final boolean createSchema;
    private final OutageLog outage;
    private final Object initLock = new Object();
    private volatile @Nullable DataSource dataSource;
    private volatile @Nullable Dialect dialect;

    Database(Supplier<DataSource> dataSources, Tables tables, boolean createSchema, OutageLog outage) {
        this.dataSources = dataSources;
        this.tables = tables;
        this.createSchema = createSchema;
        this.outage = outage;
    }

    Tables tables() {
        return tables;
    }

    /**
     * Runs {@code work} on a pooled connection.
     *
     * @param operation what is done, for the log and the exception
     * @throws SessionStoreUnavailableException if the database could not be reached or the work failed
     */
    <T> T call(String operation, Work<T> work) {
        try (Connection c = connect()) {
            T result = work.run(c, initializedDialect());
            outage.succeeded();
            return result;
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
                Schema.migrate(c, d, tables);
            } else {
                int found = Schema.currentVersion(c, tables);
                int needed = Schema.latestVersion(d, tables);
                if (found < needed) {
                    throw new SQLException("the tables " + tables.prefix() + "* are at schema version " + found
                            + ", this Reprise needs " + needed + "; start one node with jdbcCreateSchema=true");
                }
            }
            dialect = d;
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
