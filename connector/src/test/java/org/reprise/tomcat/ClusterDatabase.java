package org.reprise.tomcat;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.store.jdbc.DataKeys;
import org.reprise.store.jdbc.JdbcStoreProvider;
import org.reprise.store.jdbc.JdbcStores;

/**
 * The machine's PostgreSQL as a cluster's session database, for one test: tables under a random prefix of
 * their own (so tests never see each other's rows), a data key, and the connector attributes that put a
 * node on them. {@link #close()} drops every table the JDBC store made.
 */
final class ClusterDatabase implements AutoCloseable {

    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
    /**
     * The resumptionName every node of the cluster shares: it is the realm sessions belong to, and Tomcat's
     * own connector names differ by port, so nodes left with them would never resume each other's sessions.
     */
    static final String CLUSTER_NAME = "test-cluster";
    /** PostgreSQL's SQLSTATE for a table that does not exist. */
    private static final String UNDEFINED_TABLE = "42P01";
    private static final List<String> TABLES = List.of("sessions", "ticket_keys", "purges", "purge_counter",
            "schema_version");

    private final String prefix;
    private final Path dataKey;

    /**
     * @param dir   where the data key file goes
     * @param label starts the table prefix, to tell whose tables are whose
     */
    ClusterDatabase(Path dir, String label) throws Exception {
        SecureRandom random = new SecureRandom();
        this.prefix = label + Long.toHexString(random.nextLong() & 0xffffffffL) + "_";
        this.dataKey = newKeyFile(dir.resolve("data.key"));
    }

    /** @return a new data key file holding one new random key, mode 600 as the store requires */
    static Path newKeyFile(Path file) throws IOException {
        DataKeys.generate(file);
        return file;
    }

    /**
     * Points a node at this database: {@code store="jdbc"} and its attributes, and the cluster's name.
     *
     * @param jdbcUrl the database, directly ({@link #POSTGRES}) or through a proxy
     * @param node    the node's name
     * @return {@code spec}
     */
    TestServer.ConnectorSpec node(TestServer.ConnectorSpec spec, String jdbcUrl, String node) {
        spec.property("store", "jdbc");
        storeAttributes(jdbcUrl).forEach(spec::property);
        spec.property("resumptionName", CLUSTER_NAME);
        return spec.property("node", node);
    }

    /**
     * Puts a node on this database like {@link #node}, but opens its stores here, so that the test can reach
     * them (to flush their write queue, say): the provider {@code store="jdbc"} names, with the same
     * attributes, handed to the connector in its settings. The caller closes them once the node has stopped,
     * as the connector would have.
     *
     * @param spec    gets the stores, the cluster's and the node's names and the counters they report to
     * @param jdbcUrl the database, directly ({@link #POSTGRES}) or through a proxy
     * @param node    the node's name
     * @return the stores {@code spec}'s connector uses
     */
    JdbcStores open(TestServer.ConnectorSpec spec, String jdbcUrl, String node) {
        ResumptionMetrics metrics = new ResumptionMetrics();
        JdbcStores stores = new JdbcStoreProvider().open(storeAttributes(jdbcUrl), node, metrics);
        spec.settings(spec.settings.toBuilder().resumptionName(CLUSTER_NAME).node(node).metrics(metrics).sessionStore(stores.sessionStore())
                .ticketKeyStore(stores.ticketKeyStore()).build());
        return stores;
    }

    /** The JDBC store's connector attributes that put a node on this database. */
    private Map<String, String> storeAttributes(String jdbcUrl) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("jdbcUrl", jdbcUrl);
        attributes.put("jdbcUser", jdbcUrl.startsWith("jdbc:h2:") ? "sa" : "postgres");
        attributes.put("jdbcTablePrefix", prefix);
        attributes.put("dataKeyFile", dataKey.toString());
        // What these tests check is which sessions resume, not how fast: a lookup that a busy machine slows
        // past the 50 ms default would fail them for nothing. Failures under an outage are quick anyway.
        attributes.put("retrieveBudget", "5s");
        return attributes;
    }

    /**
     * @return how many session rows match {@code where} (SQL, may be empty); 0 while the first node has not
     *         made the table yet (a node creates its schema in the background, on its first connection)
     */
    long sessionRows(String where) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + prefix + "sessions " + where)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                return 0;
            }
            throw e;
        }
    }


    /** @return the name of one of this test's tables, such as {@code sessions} */
    String table(String name) {
        return prefix + name;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(POSTGRES, "postgres", "");
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                s.execute("DROP TABLE IF EXISTS " + prefix + table);
            }
        }
    }
}
