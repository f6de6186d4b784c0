package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.reprise.core.metrics.ResumptionMetrics;

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
