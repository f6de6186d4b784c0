package org.reprise.store.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL that differs between the databases Reprise supports. Everything else is written once, in
 * SQL both accept. Detected from the connection, never guessed from the URL, because a DataSource from
 * JNDI has no URL to look at.
 */
enum Dialect {

    /** PostgreSQL, for clusters. */
    POSTGRESQL {
        @Override
        String textType() {
            // Byte order, like Java's String.compareTo, so listings sort the same as the memory store,
            // whatever the database's locale
            return "TEXT COLLATE \"C\"";
        }

        @Override
        String bytesType() {
            return "BYTEA";
        }

        @Override
        String caseFoldedIndex(String column) {
            return "LOWER(" + column + ")";
        }

        @Override
        String upsert(String table, List<String> columns, String key) {
            String updates = columns.stream().filter(c -> !c.equals(key))
                    .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
            return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + placeholders(columns.size()) + ") ON CONFLICT (" + key + ") DO UPDATE SET " + updates;
        }

        @Override
        String deleteExpiredBatch(String table) {
            // Rows another sweeper is deleting are skipped rather than waited for, so every node can
            // sweep at the same time without queueing behind the others
            return "DELETE FROM " + table + " WHERE id IN (SELECT id FROM " + table
                    + " WHERE expires <= ? LIMIT ? FOR UPDATE SKIP LOCKED)";
        }

        @Override
        void lockSchema(Connection connection, Tables tables) throws SQLException {
            // Held until the transaction ends: two nodes starting together migrate one after the other
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
                lock.setInt(1, SCHEMA_LOCK_CLASS);
                lock.setInt(2, tables.prefix().hashCode());
                lock.execute();
            }
        }
    },

    /** H2, embedded, for a single node. */
    H2 {
        @Override
        String textType() {
            return "VARCHAR";
        }

        @Override
        String bytesType() {
            return "VARBINARY";
        }

        @Override
        String caseFoldedIndex(String column) {
            // H2 has no expression indexes
            return column;
        }

        @Override
        String upsert(String table, List<String> columns, String key) {
            return "MERGE INTO " + table + " (" + String.join(", ", columns) + ") KEY (" + key + ") VALUES ("
                    + placeholders(columns.size()) + ")";
        }

        @Override
        String deleteExpiredBatch(String table) {
            return "DELETE FROM " + table + " WHERE expires <= ? LIMIT ?";
        }

        @Override
        void lockSchema(Connection connection, Tables tables) {
            // An embedded database has one JVM; concurrent migrations are settled by Schema's retry
        }
    };

    /** The first key of PostgreSQL's two-key advisory lock: "RPRS". */
    private static final int SCHEMA_LOCK_CLASS = 0x52505253;
    private static final String UNIQUE_VIOLATION = "23505";

    /** @return the type of a text column */
    abstract String textType();

    /** @return the type of a column of bytes */
    abstract String bytesType();

    /** @return what to index so that {@code LOWER(column) = ?} can use the index */
    abstract String caseFoldedIndex(String column);

    /** @return a statement inserting a row, or replacing the row with the same key */
    abstract String upsert(String table, List<String> columns, String key);

    /** @return a statement deleting at most {@code ?2} rows with {@code expires <= ?1} */
    abstract String deleteExpiredBatch(String table);

    /** Serializes schema changes across nodes, for the rest of the current transaction. */
    abstract void lockSchema(Connection connection, Tables tables) throws SQLException;

    /**
     * @param metaData an open connection's metadata
     * @return the dialect of that database
     * @throws SQLException if it is none Reprise supports
     */
    static Dialect of(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        if ("PostgreSQL".equalsIgnoreCase(product)) {
            return POSTGRESQL;
        }
        if ("H2".equalsIgnoreCase(product)) {
            return H2;
        }
        throw new SQLException("Reprise's JDBC store supports PostgreSQL and H2, not " + product);
    }

    /**
     * @param e a failed statement's exception
     * @return whether it failed on a unique constraint, which both databases report as SQLState 23505
     */
    static boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
