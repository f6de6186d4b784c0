package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionStore;

/**
 * Two OpenSSL-engine nodes sharing the machine's PostgreSQL: a client whose session or ticket came from node
 * a resumes on node b, in TLS 1.3 and TLS 1.2; a purge or a key retirement on a holds on b.
 */
class OpenSslClusterTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    private ClusterDatabase database;

    OpenSslClusterTest() throws Exception {
    }

    @BeforeAll
    static void openSslIsHere() {
        OpenSslPresent.assumeAvailable();
    }

    @BeforeEach
    void makeTables() throws Exception {
        database = new ClusterDatabase(dir, "ossl");
    }

    @AfterEach
    void dropTables() throws SQLException {
        database.close();
    }

    private TestServer node(String name, SessionMode mode) throws Exception {
        Path nodeDir = Files.createDirectories(dir.resolve(name));
        return TestServer.start(nodeDir, database.node(new TestServer.ConnectorSpec(), ClusterDatabase.POSTGRES, name)
                .property("resumptionEngine", "openssl")
                // the realm: nodes share sessions only under one resumptionName
                .property("resumptionName", "ossl-cluster")
                .property("sessionMode", mode.name().toLowerCase(java.util.Locale.ROOT))
                .host(pki, nodeDir, "localhost", false, false, h -> { }));
    }

    private OpenSslClient.Result connect(TestServer server, Path session, boolean save, String... options)
            throws Exception {
        return SClient.connect(server.port(), "localhost", session, save, options);
    }

    private long rows(String where) throws SQLException {
        return database.sessionRows(where);
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
            // node b made no session of its own: both connections continued node a's
            assertEquals(0, b.metrics().handshakesFull(), b.metrics().toString());
            assertEquals(2, b.metrics().handshakesResumed(), b.metrics().toString());
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
            assertEquals(0, b.metrics().handshakesFull(), b.metrics().toString());
            assertEquals(2, b.metrics().handshakesResumed(), b.metrics().toString());
            assertEquals(0, rows(""), "stateless: no rows");
        }
    }

    @Test
    void aSessionPurgedOnOneNodeResumesOnNeither() throws Exception {
        try (TestServer a = node("a", SessionMode.STATEFUL); TestServer b = node("b", SessionMode.STATEFUL)) {
            Path session = dir.resolve("s.pem");
            connect(a, session, true, "-tls1_3");
            awaitRows(1);
            List<String> ids = new java.util.ArrayList<>();
            try (java.sql.Connection c = database.connect(); java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet r = st.executeQuery("SELECT id FROM " + database.table("sessions"))) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
            assertFalse(ids.isEmpty());
            for (String id : ids) {
                assertTrue(a.resumption(0).resumptionContext().store().remove(SessionId.fromHex(id)), id);
            }
            // Node b learns of the purge through its purge poller (every 250 ms by default)
            SessionStore onB = b.resumption(0).resumptionContext().store();
            for (String id : ids) {
                Await.until("node b dropping purged session " + id, () -> {
                    try {
                        return onB.retrieve(SessionId.fromHex(id), Instant.now()) == null;
                    } catch (RuntimeException unavailable) {
                        return false;
                    }
                });
            }

            assertFalse(connect(b, session, false, "-tls1_3").reused(), "node b");
            assertFalse(connect(a, session, false, "-tls1_3").reused(), "node a");
            // asked for and refused because the session is gone: not because the store failed to answer
            assertEquals(1, b.metrics().requested(Mechanism.TLS13_PSK), b.metrics().toString());
            assertEquals(0, b.metrics().hits(Mechanism.TLS13_PSK), b.metrics().toString());
            assertEquals(1, b.metrics().misses(MissReason.UNKNOWN), b.metrics().toString());
        }
    }

    @Test
    void keysRetiredOnOneNodeOpenNoTicketOnTheOther() throws Exception {
        try (TestServer a = node("a", SessionMode.STATELESS); TestServer b = node("b", SessionMode.STATELESS)) {
            Path session = dir.resolve("s.pem");
            connect(a, session, true, "-tls1_3");
            OpenSslClient.Result before = connect(b, session, false, "-tls1_3");
            assertTrue(before.reused(), "before the retirement: " + b.metrics());

            long fresh = a.resumption(0).resumptionContext().keyRing().retireAll().generation();
            Await.until("node b dropping the retired keys", () -> b.resumption(0).resumptionContext().keyRing()
                    .keys().stream().allMatch(k -> k.generation() >= fresh));

            assertFalse(connect(b, session, false, "-tls1_3").reused());
            assertEquals(1, b.metrics().misses(MissReason.TICKET_KEY_UNKNOWN));
        }
    }
}
