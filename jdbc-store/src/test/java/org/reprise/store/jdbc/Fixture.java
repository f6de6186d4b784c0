package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.SessionRecord;

/**
 * One test's tables, under a random prefix so tests never see each other's rows, and the nodes opened
 * on them. Closing closes every node and drops the tables.
 */
final class Fixture implements AutoCloseable {

    private static final Random RANDOM = new Random();
    /** Generous: a cold JVM on a busy machine takes a few hundred milliseconds for its first connection. */
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration GENEROUS_BUDGET = Duration.ofSeconds(5);

    final TestDatabase database;
    final String prefix;
    /** The data key file's text: one base64 key. */
    final String keyLine;
    final DataKeys keys;
    private final List<JdbcStores> opened = new ArrayList<>();

    private Fixture(TestDatabase database) {
        this.database = database;
        this.prefix = "t" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36) + "_";
        this.keyLine = TestKeys.line();
        this.keys = DataKeys.parse(keyLine);
    }

    static Fixture on(TestDatabase database) {
        return new Fixture(database);
    }

    /** @return a configuration for this fixture's tables and keys, to adjust before building */
    JdbcStoreConfig.Builder config() {
        // Generous: these tests check what a lookup finds, and a busy machine can take longer than the 50 ms
        // default; tests of the budget itself set it back
        return JdbcStoreConfig.builder().jdbcUrl(database.url()).user(database.user()).tablePrefix(prefix)
                .dataKeys(keys).retrieveBudget(GENEROUS_BUDGET);
    }

    /** @return a node with the defaults and its own counters */
    JdbcStores node(String name) {
        return node(name, new ResumptionMetrics(), b -> b);
    }

    /**
     * @return a node whose configuration {@code adjust} changed, once its database is ready, as a connector
     *         waits for it when it starts
     */
    JdbcStores node(String name, ResumptionMetrics metrics, UnaryOperator<JdbcStoreConfig.Builder> adjust) {
        JdbcStores stores = opened(name, metrics, adjust);
        assertTrue(stores.sessionStore().awaitReady(READY), "node " + name + " connected within " + READY);
        return stores;
    }

    /** @return a node as {@link JdbcStores#open} returns it, without waiting for its database */
    JdbcStores opened(String name, ResumptionMetrics metrics, UnaryOperator<JdbcStoreConfig.Builder> adjust) {
        JdbcStores stores = JdbcStores.open(adjust.apply(config()).build(), name, metrics);
        opened.add(stores);
        return stores;
    }

    Connection connect() throws SQLException {
        return database.connect();
    }

    String table(String name) {
        return prefix + name;
    }

    /** @return the session's row as it is in the table, every column, as someone with write access saves it */
    List<Object> savedRow(SessionRecord record) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM " + table("sessions") + " WHERE id = ?")) {
            ps.setString(1, record.id().hex());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no row for " + record);
                List<Object> values = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getObject(i));
                }
                return values;
            }
        }
    }

    /** @return every ticket key generation in the table, readable here or not, lowest first */
    List<Long> ticketKeyGenerations() throws SQLException {
        List<Long> generations = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT generation FROM " + table("ticket_keys") + " ORDER BY generation");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                generations.add(rs.getLong(1));
            }
        }
        return generations;
    }

    /** Puts a row saved with {@link #savedRow} back into the table. */
    void putBack(List<Object> values) throws SQLException {
        String marks = String.join(", ", Collections.nCopies(values.size(), "?"));
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + table("sessions") + " VALUES (" + marks + ")")) {
            for (int i = 0; i < values.size(); i++) {
                ps.setObject(i + 1, values.get(i));
            }
            assertEquals(1, ps.executeUpdate());
        }
    }

    @Override
    public void close() throws SQLException {
        opened.forEach(JdbcStores::close);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String table : List.of("sessions", "ticket_keys", "purges", "purge_counter", "schema_version")) {
                st.execute("DROP TABLE IF EXISTS " + table(table));
            }
        }
    }
}
