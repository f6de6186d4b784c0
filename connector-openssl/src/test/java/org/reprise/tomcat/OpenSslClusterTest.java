package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.session.SessionQuery;
import org.reprise.core.session.SessionRecord;

/**
 * Two OpenSSL-engine nodes sharing the machine's PostgreSQL: a client whose session or ticket came from node
 * a resumes on node b, in TLS 1.3 and TLS 1.2; a purge or a key retirement on a holds on b.
 */
class OpenSslClusterTest {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    private final String prefix = "ossl" + Long.toHexString(new SecureRandom().nextLong() & 0xffffffffL) + "_";
    private Path dataKey;

    OpenSslClusterTest() throws Exception {
    }

    @AfterEach
    void dropTables() throws SQLException {
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "");
                Statement s = c.createStatement()) {
            for (String table : List.of("sessions", "ticket_keys", "purges", "schema_version")) {
                s.execute("DROP TABLE IF EXISTS " + prefix + table);
            }
        }
    }

    private TestServer node(String name, SessionMode mode) throws Exception {
        if (dataKey == null) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            dataKey = Files.writeString(dir.resolve("data.key"), Base64.getEncoder().encodeToString(key) + "\n");
        }
        Path nodeDir = Files.createDirectories(dir.resolve(name));
        return TestServer.start(nodeDir, new TestServer.ConnectorSpec()
                .property("resumptionEngine", "openssl")
                .property("sessionMode", mode.name().toLowerCase(java.util.Locale.ROOT))
                .property("store", "jdbc")
                .property("jdbcUrl", POSTGRES)
                .property("jdbcUser", "postgres")
                .property("jdbcTablePrefix", prefix)
                .property("dataKeyFile", dataKey.toString())
                .property("node", name)
                .host(pki, nodeDir, "localhost", false, false, h -> { }));
    }

    private OpenSslClient.Result connect(TestServer server, Path session, boolean save, String... options)
            throws Exception {
        return SClient.connect(server.port(), "localhost", session, save, options);
    }

    private long rows(String where) throws SQLException {
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + prefix + "sessions " + where)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Waits for the write-behind queue to put node a's sessions into the database. */
    private void awaitRows(long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (rows("WHERE node = 'a'") < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node a's sessions did not reach the database within 5 s");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    @Test
    void statefulSessionsResumeOnTheOtherNode() throws Exception {
        try (TestServer a = node("a", SessionMode.STATEFUL); TestServer b = node("b", SessionMode.STATEFUL)) {
            Path tls13 = dir.resolve("tls13.pem");
            connect(a, tls13, true, "-tls1_3");
            awaitRows(1);
            OpenSslClient.Result onB = connect(b, tls13, false, "-tls1_3");
            assertTrue(onB.protocolLine().startsWith("Reused, TLSv1.3"), onB.output());

            Path tls12 = dir.resolve("tls12.pem");
            connect(a, tls12, true, "-tls1_2");
            awaitRows(2);
            assertTrue(connect(b, tls12, false, "-tls1_2").protocolLine().startsWith("Reused, TLSv1.2"));

            assertEquals(1, b.metrics().hits(Mechanism.TLS13_PSK));
            assertEquals(1, b.metrics().hits(Mechanism.SESSION_ID));
        }
    }

    @Test
    void statelessTicketsResumeOnTheOtherNode() throws Exception {
        try (TestServer a = node("a", SessionMode.STATELESS); TestServer b = node("b", SessionMode.STATELESS)) {
            for (String version : List.of("-tls1_3", "-tls1_2")) {
                Path session = dir.resolve("s" + version + ".pem");
                connect(a, session, true, version);
                OpenSslClient.Result onB = connect(b, session, false, version);
                assertTrue(onB.reused(), version + " on node b: " + b.metrics() + onB.output());
            }
            assertEquals(1, b.metrics().hits(Mechanism.TLS13_PSK));
            assertEquals(1, b.metrics().hits(Mechanism.TICKET));
            assertEquals(0, rows(""), "stateless: no rows");
        }
    }

    @Test
    void aSessionPurgedOnOneNodeResumesOnNeither() throws Exception {
        try (TestServer a = node("a", SessionMode.STATEFUL); TestServer b = node("b", SessionMode.STATEFUL)) {
            Path session = dir.resolve("s.pem");
            connect(a, session, true, "-tls1_3");
            awaitRows(1);
            List<SessionRecord> onA = a.resumption(0).resumptionContext().store()
                    .list(SessionQuery.all(), Instant.now()).sessions();
            assertEquals(1, onA.size());
            a.resumption(0).resumptionContext().store().remove(onA.get(0).id());
            TimeUnit.MILLISECONDS.sleep(1000);

            assertFalse(connect(b, session, false, "-tls1_3").reused(), "node b");
            assertFalse(connect(a, session, false, "-tls1_3").reused(), "node a");
            assertEquals(1, b.metrics().misses(MissReason.UNKNOWN));
        }
    }

    @Test
    void keysRetiredOnOneNodeOpenNoTicketOnTheOther() throws Exception {
        try (TestServer a = node("a", SessionMode.STATELESS); TestServer b = node("b", SessionMode.STATELESS)) {
            Path session = dir.resolve("s.pem");
            connect(a, session, true, "-tls1_3");
            OpenSslClient.Result before = connect(b, session, false, "-tls1_3");
            assertTrue(before.reused(), "before the retirement: " + b.metrics());

            a.resumption(0).resumptionContext().keyRing().retireAll();
            TimeUnit.MILLISECONDS.sleep(Maintenance.KEY_REFRESH.toMillis() + 1500);

            assertFalse(connect(b, session, false, "-tls1_3").reused());
            assertEquals(1, b.metrics().misses(MissReason.TICKET_KEY_UNKNOWN));
        }
    }
}
