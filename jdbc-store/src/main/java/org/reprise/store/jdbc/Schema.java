package org.reprise.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

/**
 * Creates and upgrades Reprise's tables: an ordered list of steps, each applied once, recorded in the
 * {@code schema_version} table with its number.
 *
 * <p>Upgrade path: a new Reprise version that changes the schema appends a step with the next number
 * (never edits an old one). At its first connection each node finds the highest recorded version and
 * applies the steps above it, each in its own transaction. Nodes starting together do not collide: on
 * PostgreSQL an advisory lock makes them take turns (and DDL is transactional, so a step applies fully
 * or not at all); on H2, which commits DDL at once, every statement is written to be repeatable
 * ({@code IF NOT EXISTS}) and a step that lost a race is retried and then found applied. A database
 * already at a newer version is left alone. With {@code createSchema=false} nothing is created or
 * changed: let one node with the default (or a one-off run, with a database user that may create tables)
 * create or upgrade the schema; the nodes then need only rights to read and write rows, and refuse to
 * work on a schema older than theirs.
 */
final class Schema {

    private static final Logger LOG = Logger.getLogger(Schema.class.getPackageName());
    private static final int ATTEMPTS = 3;

    /** One change to the schema. */
    record Step(int version, String description, List<String> statements) {
    }

    private Schema() {
    }

    /** @return every step, oldest first */
    static List<Step> steps(Dialect d, Tables t) {
        String text = d.textType();
        String bytes = d.bytesType();
        String s = t.sessions();
        String k = t.ticketKeys();
        return List.of(
                new Step(1, "sessions", List.of(
                        "CREATE TABLE IF NOT EXISTS " + s + " (id " + text + " NOT NULL PRIMARY KEY, protocol "
                                + text + " NOT NULL, cipher_suite " + text + " NOT NULL, host_config " + text
                                + " NOT NULL, sni_host " + text + ", node " + text + ", engine " + text
                                + " NOT NULL, peer_identity " + text + ", created BIGINT NOT NULL, expires BIGINT"
                                + " NOT NULL, last_resumed BIGINT, resume_count BIGINT NOT NULL, key_id " + text
                                + " NOT NULL, secret " + bytes + " NOT NULL)",
                        index(t, s, "expires", "expires"),
                        index(t, s, "created", "created"),
                        index(t, s, "node", "node"),
                        index(t, s, "host_config", d.caseFoldedIndex("host_config")),
                        index(t, s, "sni_host", d.caseFoldedIndex("sni_host")))),
                new Step(2, "ticket keys", List.of(
                        "CREATE TABLE IF NOT EXISTS " + k + " (generation BIGINT NOT NULL PRIMARY KEY, name "
                                + text + " NOT NULL, key_id " + text + " NOT NULL, secret " + bytes
                                + " NOT NULL, created BIGINT NOT NULL, encrypt_until BIGINT NOT NULL,"
                                + " decrypt_until BIGINT NOT NULL)")),
                new Step(3, "purges", List.of(
                        "CREATE TABLE IF NOT EXISTS " + t.purges() + " (seq BIGINT NOT NULL PRIMARY KEY,"
                                + " session_id " + text + ", purged_at BIGINT NOT NULL)",
                        "CREATE TABLE IF NOT EXISTS " + t.purgeCounter() + " (id INT NOT NULL PRIMARY KEY,"
                                + " seq BIGINT NOT NULL)",
                        "INSERT INTO " + t.purgeCounter() + " (id, seq) SELECT 1, 0 WHERE NOT EXISTS"
                                + " (SELECT 1 FROM " + t.purgeCounter() + " WHERE id = 1)")),
                new Step(4, "purge tombstones", List.of(
                        "ALTER TABLE " + t.purges() + " ADD COLUMN IF NOT EXISTS keep_until BIGINT",
                        index(t, t.purges(), "session_id", "session_id"))),
                // Rows sealed before bind neither realm, origin nor authentication time and no longer open:
                // dropped here rather than one by one as damaged rows (their clients make a full handshake)
                new Step(5, "realms and session lines", List.of(
                        "DELETE FROM " + s,
                        "ALTER TABLE " + s + " ADD COLUMN IF NOT EXISTS origin " + text,
                        "ALTER TABLE " + s + " ADD COLUMN IF NOT EXISTS realm " + text,
                        "ALTER TABLE " + s + " ADD COLUMN IF NOT EXISTS authenticated BIGINT",
                        index(t, s, "origin", "origin"),
                        index(t, s, "realm", "realm"),
                        "ALTER TABLE " + t.purges() + " ADD COLUMN IF NOT EXISTS realm " + text)));
    }

    /** @return the version this code needs */
    static int latestVersion(Dialect d, Tables t) {
        List<Step> steps = steps(d, t);
        return steps.get(steps.size() - 1).version();
    }

    /**
     * Brings the schema up to the latest version.
     *
     * @param c a connection in auto-commit mode; left in it
     */
    static void migrate(Connection c, Dialect d, Tables t, Clock clock) throws SQLException {
        if (currentVersion(c, t) >= latestVersion(d, t)) {
            return;
        }
        c.setAutoCommit(false);
        try {
            for (Step step : steps(d, t)) {
                applyOnce(c, d, t, step, clock);
            }
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** @return the highest applied version, 0 if there is no schema yet */
    static int currentVersion(Connection c, Tables t) {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT MAX(version) FROM " + t.schemaVersion())) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException missingTable) {
            return 0;
        }
    }

    private static void applyOnce(Connection c, Dialect d, Tables t, Step step, Clock clock) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                d.lockSchema(c, t);
                execute(c, "CREATE TABLE IF NOT EXISTS " + t.schemaVersion() + " (version INT NOT NULL PRIMARY KEY,"
                        + " description " + d.textType() + " NOT NULL, applied BIGINT NOT NULL)");
                if (!isApplied(c, t, step.version())) {
                    for (String sql : step.statements()) {
                        execute(c, sql);
                    }
                    record(c, t, step, clock.millis());
                    LOG.info("Reprise JDBC store: schema step " + step.version() + " (" + step.description()
                            + ") applied to the tables " + t.prefix() + "*");
                }
                c.commit();
                return;
            } catch (SQLException e) {
                c.rollback();
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                // Most likely another node applied the same step at the same moment; the next attempt
                // finds it recorded
            }
        }
    }

    private static boolean isApplied(Connection c, Tables t, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM " + t.schemaVersion() + " WHERE version = ?")) {
            ps.setInt(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void record(Connection c, Tables t, Step step, long appliedMillis) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + t.schemaVersion() + " (version, description, applied) VALUES (?, ?, ?)")) {
            ps.setInt(1, step.version());
            ps.setString(2, step.description());
            ps.setLong(3, appliedMillis);
            ps.executeUpdate();
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        LOG.fine(sql);
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String index(Tables t, String table, String name, String expression) {
        return "CREATE INDEX IF NOT EXISTS " + t.index(table, name) + " ON " + table + " (" + expression + ")";
    }
}
