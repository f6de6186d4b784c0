package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.session.SessionStore;
import org.reprise.core.ticket.TicketKey;
import org.reprise.store.jdbc.TcpProxy;

/**
 * Several nodes sharing one PostgreSQL database through {@code store="jdbc"}, configured with the same
 * connector attributes an administrator writes in server.xml, and one node on embedded H2.
 */
class ClusterTest {

    private static final String POSTGRES = ClusterDatabase.POSTGRES;

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    private ClusterDatabase database;

    ClusterTest() throws Exception {
    }

    @BeforeEach
    void makeTables() throws Exception {
        database = new ClusterDatabase(dir, "it");
    }

    @AfterEach
    void dropTables() throws SQLException {
        database.close();
    }

    private TestServer node(String name, String jdbcUrl, java.util.function.Consumer<SSLHostConfig> host)
            throws Exception {
        return node(name, jdbcUrl, Clock.systemUTC(), host);
    }

    private TestServer node(String name, String jdbcUrl, Clock clock, java.util.function.Consumer<SSLHostConfig> host)
            throws Exception {
        Path nodeDir = Files.createDirectories(dir.resolve(name));
        TestServer.ConnectorSpec spec = new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().clock(clock).build());
        return TestServer.start(nodeDir, database.node(spec, jdbcUrl, name)
                .property("sweepInterval", "1s")
                .host(pki, nodeDir, "localhost", false, false, host));
    }

    private TestServer node(String name) throws Exception {
        return node(name, POSTGRES, h -> { });
    }

    private OpenSslClient.Result connect(TestServer server, Path session, boolean save, String... options)
            throws Exception {
        OpenSslClient.Result r = OpenSslClient.connect(server.port(), "localhost", session, save, options);
        assertTrue(r.handshakeCompleted(), r.output());
        return r;
    }

    private static String field(OpenSslClient.Result r, String name) {
        return r.output().lines().map(String::strip).filter(l -> l.startsWith(name + ":"))
                .map(l -> l.substring(name.length() + 1).strip()).findFirst().orElseThrow();
    }

    private long rows(String where) throws SQLException {
        return database.sessionRows(where);
    }

    /** @return what the store holds for {@code id}, or this test's marker when it cannot answer now */
    private static Object retrievedFrom(SessionStore store, String id) {
        try {
            SessionRecord found = store.retrieve(SessionId.fromHex(id), Instant.now());
            return found;
        } catch (RuntimeException unavailable) {
            return unavailable;
        }
    }

    private void awaitRow(String sessionId) throws InterruptedException {
        Await.until("the session row", Duration.ofSeconds(5), () -> {
            try {
                return rows("WHERE id = '" + sessionId.toLowerCase(Locale.ROOT) + "'") == 1;
            } catch (SQLException e) {
                return false;
            }
        });
    }

    @Test
    void aSessionMadeOnOneNodeResumesOnTheOtherByIdAndByTicket() throws Exception {
        try (TestServer a = node("a"); TestServer b = node("b")) {
            Path byId = dir.resolve("by-id.pem");
            OpenSslClient.Result first = connect(a, byId, true, "-tls1_2", "-no_ticket");
            awaitRow(field(first, "Session-ID"));

            assertTrue(connect(b, byId, false, "-tls1_2", "-no_ticket").reused(), "by session ID on node b");

            Path byTicket = dir.resolve("by-ticket.pem");
            connect(a, byTicket, true, "-tls1_2");
            assertTrue(connect(b, byTicket, false, "-tls1_2").reused(), "by ticket on node b");
            assertEquals(1, b.metrics().hits(Mechanism.SESSION_ID));
            assertEquals(1, b.metrics().hits(Mechanism.TICKET));

            byte[] masterSecret = HexFormat.of().parseHex(field(first, "Master-Key"));
            try (Connection c = database.connect();
                    PreparedStatement s = c.prepareStatement("SELECT node, secret FROM "
                            + database.table("sessions") + " WHERE id = ?")) {
                s.setString(1, field(first, "Session-ID").toLowerCase(Locale.ROOT));
                try (ResultSet r = s.executeQuery()) {
                    assertTrue(r.next());
                    assertEquals("a", r.getString("node"));
                    assertFalse(contains(r.getBytes("secret"), masterSecret), "the master secret is stored encrypted");
                }
            }
        }
    }

    @Test
    void aNodeOpensTheOthersTicketsFromItsFirstHandshake() throws Exception {
        try (TestServer a = node("a")) {
            Path session = dir.resolve("ticket.pem");
            connect(a, session, true, "-tls1_2");
            try (TestServer b = node("b")) {
                assertTrue(connect(b, session, false, "-tls1_2").reused(), "node b's very first handshake: "
                        + b.metrics());
            }
        }
    }

    @Test
    void aPurgeOnOneNodeStopsResumptionOnTheOther() throws Exception {
        try (TestServer a = node("a"); TestServer b = node("b")) {
            Path session = dir.resolve("s.pem");
            OpenSslClient.Result first = connect(a, session, true, "-tls1_2", "-no_ticket");
            String id = field(first, "Session-ID");
            awaitRow(id);
            assertTrue(connect(b, session, false, "-tls1_2", "-no_ticket").reused(), "b has it cached now");

            a.resumption(0).resumptionContext().store().remove(SessionId.fromHex(id));
            // Node b learns of the purge through its purge poller (every 250 ms by default)
            SessionStore onB = b.resumption(0).resumptionContext().store();
            Await.until("node b dropping the purged session from its cache",
                    () -> retrievedFrom(onB, id) == null);

            assertFalse(connect(b, session, false, "-tls1_2", "-no_ticket").reused());
            assertEquals(1, b.metrics().misses(MissReason.UNKNOWN));
        }
    }

    @Test
    void aKeyRotatedOnOneNodeIsUsedByTheOtherAndOldTicketsStillResume() throws Exception {
        try (TestServer a = node("a"); TestServer b = node("b")) {
            Path oldTicket = dir.resolve("old.pem");
            connect(a, oldTicket, true, "-tls1_2");

            TicketKey rotated = a.resumption(0).resumptionContext().keyRing().rotate();
            Await.until("node b adopting the new key", Duration.ofSeconds(5),
                    () -> b.resumption(0).resumptionContext().keyRing().encryptionKey().generation()
                            == rotated.generation());

            assertEquals(rotated.nameHex(), b.resumption(0).resumptionContext().keyRing().encryptionKey().nameHex());
            assertTrue(connect(b, oldTicket, false, "-tls1_2").reused(), "a ticket under the old key");
        }
    }

    @Test
    void expiredRowsAreNotResumedAndTheSweeperDeletesThem() throws Exception {
        TestClock clock = new TestClock();
        try (TestServer a = node("a", POSTGRES, clock, h -> h.setSessionTimeout(60))) {
            Path session = dir.resolve("s.pem");
            OpenSslClient.Result first = connect(a, session, true, "-tls1_2", "-no_ticket");
            awaitRow(field(first, "Session-ID"));
            clock.advance(Duration.ofSeconds(61));

            assertFalse(connect(a, session, false, "-tls1_2", "-no_ticket").reused());
            // The sweeper counts what it deleted once the delete has committed: wait for both
            Await.until("the sweeper deleting the expired row and counting it", () -> {
                try {
                    return rows("WHERE expires <= " + clock.millis()) == 0 && a.metrics().sessionsSwept() >= 1;
                } catch (SQLException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void aRowThatDoesNotDecryptIsAMissAndIsRemoved() throws Exception {
        try (TestServer a = node("a"); TestServer b = node("b")) {
            Path session = dir.resolve("s.pem");
            String id = field(connect(a, session, true, "-tls1_2", "-no_ticket"), "Session-ID").toLowerCase(Locale.ROOT);
            awaitRow(id);
            try (Connection c = database.connect();
                    PreparedStatement s = c.prepareStatement("UPDATE " + database.table("sessions") + " SET secret = ? WHERE id = ?")) {
                s.setBytes(1, "not a sealed secret at all, just junk".getBytes(StandardCharsets.US_ASCII));
                s.setString(2, id);
                assertEquals(1, s.executeUpdate());
            }

            assertFalse(connect(b, session, false, "-tls1_2", "-no_ticket").reused());
            assertEquals(0, rows("WHERE id = '" + id + "'"));
            assertTrue(b.metrics().storeErrors() >= 1);
        }
    }

    /**
     * A node given a data key that opens none of the rows in use (here: node a's ticket key and session) does
     * not start: it could read nothing the others wrote, and they nothing it writes. Told that its key is a
     * new one being rolled in, it starts.
     */
    @Test
    void aNodeWhoseDataKeyOpensNoRowInUseRefusesToStartUnlessRollingIn() throws Exception {
        try (TestServer a = node("a")) {
            awaitRow(field(connect(a, dir.resolve("s.pem"), true, "-tls1_2", "-no_ticket"), "Session-ID"));
            Path wrongKey = ClusterDatabase.newKeyFile(dir.resolve("wrong.key"));

            Exception refused = assertThrows(Exception.class, () -> wrongKeyNode("wrong", wrongKey).close());
            String messages = causeChain(refused);
            assertTrue(messages.contains("dataKeyFile") && messages.contains("dataKeyRollIn"), messages);
            assertEquals(1, rows(""), "the refused node deleted nothing");

            try (TestServer rolledIn = TestServer.start(Files.createDirectories(dir.resolve("rolled-in")),
                    wrongKeySpec("rolled-in", wrongKey).property("dataKeyRollIn", "true"))) {
                assertTrue(connect(rolledIn, dir.resolve("new.pem"), true, "-tls1_2").handshakeCompleted());
            }
        }
    }

    private TestServer wrongKeyNode(String name, Path key) throws Exception {
        return TestServer.start(Files.createDirectories(dir.resolve(name)), wrongKeySpec(name, key));
    }

    private TestServer.ConnectorSpec wrongKeySpec(String name, Path key) throws Exception {
        Path nodeDir = Files.createDirectories(dir.resolve(name));
        return database.node(new TestServer.ConnectorSpec(), POSTGRES, name)
                .property("dataKeyFile", key.toString())
                .host(pki, nodeDir, "localhost", false, false, h -> { });
    }

    private static String causeChain(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append('\n');
        }
        return b.toString();
    }

    @Test
    void handshakesSurviveADatabaseOutageAndResumptionComesBack() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5432)) {
            String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test";
            try (TestServer a = node("a", viaProxy, h -> { }); TestServer b = node("b", viaProxy, h -> { })) {
                Path before = dir.resolve("before.pem");
                OpenSslClient.Result made = connect(a, before, true, "-tls1_2", "-no_ticket");
                awaitRow(field(made, "Session-ID"));

                proxy.cut();
                for (int i = 0; i < 5; i++) {
                    OpenSslClient.Result during = connect(b, dir.resolve("during" + i + ".pem"), true, "-tls1_2");
                    assertTrue(during.handshakeCompleted());
                }
                assertFalse(connect(b, before, false, "-tls1_2", "-no_ticket").reused(), "the database is away");
                assertTrue(b.metrics().storeErrors() >= 1);

                proxy.restore();
                Await.until("resumption from the database", Duration.ofSeconds(10), () -> {
                    try {
                        return connect(b, before, false, "-tls1_2", "-no_ticket").reused();
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
        }
    }

    @Test
    void anH2NodeResumesSessionsFromBeforeARestart() throws Exception {
        String h2 = "jdbc:h2:file:" + dir.resolve("h2").resolve("sessions");
        Path byId = dir.resolve("by-id.pem");
        Path byTicket = dir.resolve("by-ticket.pem");
        try (TestServer first = node("solo", h2, h -> { })) {
            connect(first, byId, true, "-tls1_2", "-no_ticket");
            connect(first, byTicket, true, "-tls1_2");
        }
        try (TestServer again = node("solo", h2, h -> { })) {
            // The first lookups may come before the pool has opened the database (a full handshake then).
            Await.until("resumption by session ID after the restart", Duration.ofSeconds(10), () -> {
                try {
                    return connect(again, byId, false, "-tls1_2", "-no_ticket").reused();
                } catch (Exception e) {
                    return false;
                }
            });
            assertTrue(connect(again, byTicket, false, "-tls1_2").reused(), "by ticket after restart");
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
