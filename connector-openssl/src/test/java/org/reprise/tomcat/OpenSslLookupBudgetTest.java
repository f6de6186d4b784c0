package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MetricsSnapshot;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.session.SessionId;

/**
 * What one ClientHello may cost the session store on the OpenSSL engine in stateful mode. OpenSSL asks the
 * get-session callback once per 32-byte TLS 1.3 PSK identity, and a 16 KB ClientHello carries about 400 of
 * them; each would be a database lookup, inside a native upcall that holds its thread (and pins a virtual
 * thread's carrier). A connection gets one lookup (a second only after a HelloRetryRequest, for the session its
 * first ClientHello found), and an ID that just missed is not looked up again for a while.
 */
class OpenSslLookupBudgetTest {

    private static final int IDENTITIES = 400;

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();

    OpenSslLookupBudgetTest() throws Exception {
    }

    @BeforeAll
    static void openSslIsHere() {
        OpenSslPresent.assumeAvailable();
    }

    private TestServer server(CountingSessionStore store, Clock clock, Consumer<SSLHostConfig> host,
            String... properties) throws Exception {
        TestServer.ConnectorSpec spec = new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().engine("openssl").sessionMode(SessionMode.STATEFUL)
                        .sessionStore(store).clock(clock).build())
                .host(pki, dir, "localhost", false, false, host);
        for (int i = 0; i + 1 < properties.length; i += 2) {
            spec.property(properties[i], properties[i + 1]);
        }
        return TestServer.start(dir, spec);
    }

    private static List<byte[]> randomIds(int n) {
        List<byte[]> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(RawTls.randomId());
        }
        return ids;
    }

    @Test
    void aClientHelloWith400PskIdentitiesCostsOneLookup() throws Exception {
        CountingSessionStore store = new CountingSessionStore();
        try (TestServer server = server(store, Clock.systemUTC(), h -> { })) {
            byte[] hello = RawTls.tls13WithPsks("localhost", randomIds(IDENTITIES));
            assertTrue(hello.length > 15_000 && hello.length <= 5 + (1 << 14), "one full record: " + hello.length);

            try (RawTls attacker = RawTls.send(server.port(), hello)) {
                // the ServerHello comes once OpenSSL has gone through every identity
                attacker.readServerHello();
            }

            assertEquals(1, store.retrieved().size(), "store lookups for one ClientHello");
            MetricsSnapshot m = server.metrics();
            assertEquals(1, m.requested(Mechanism.TLS13_PSK), m.toString());
            assertEquals(1, m.misses(MissReason.UNKNOWN), "one miss for one ClientHello: " + m);
        }
    }

    /**
     * A server with one handshake thread, and a store whose lookups wait until the test lets them through.
     * After one lookup's worth of store time, the 400-identity ClientHello must have let go of the thread, so
     * that another client's handshake completes.
     */
    @Test
    void oneLookupLaterTheThreadServesOtherClients() throws Exception {
        CountingSessionStore store = new CountingSessionStore();
        try (TestServer server = server(store, Clock.systemUTC(), h -> { }, "maxThreads", "1")) {
            store.holdLookups();
            try (RawTls attacker = RawTls.send(server.port(),
                    RawTls.tls13WithPsks("localhost", randomIds(IDENTITIES)))) {
                assertTrue(store.awaitWaitingLookup(Duration.ofSeconds(20)), "the ClientHello reached the store");
                store.letThrough(1);

                OpenSslClient.Result other = SClient.connect(server.port(), "localhost", dir.resolve("other.pem"),
                        true, "-tls1_3");

                assertTrue(other.protocolLine().startsWith("New, TLSv1.3"), other.output());
                attacker.readServerHello();
                assertEquals(1, store.retrieved().size(), "store lookups for the 400-identity ClientHello");
            } finally {
                store.releaseAll();
            }
        }
    }

    /**
     * A HelloRetryRequest makes OpenSSL go through a second ClientHello's identities too: it buys no second
     * lookup for a connection whose first ClientHello found nothing. (The server takes only X25519; the first
     * ClientHello offers a P-256 key share.)
     */
    @Test
    void aHelloRetryRequestBuysNoSecondLookup() throws Exception {
        CountingSessionStore store = new CountingSessionStore();
        try (TestServer server = server(store, Clock.systemUTC(), h -> h.setGroups("x25519"))) {
            try (RawTls attacker = RawTls.send(server.port(),
                    RawTls.tls13WithPsks("localhost", randomIds(IDENTITIES), RawTls.SECP256R1))) {
                assertTrue(attacker.readServerHello().retryRequest(), "the server asked for another ClientHello");
                attacker.send(RawTls.tls13WithPsks("localhost", randomIds(IDENTITIES), RawTls.X25519));
                assertFalse(attacker.readServerHello().retryRequest());
            }

            assertEquals(1, store.retrieved().size(), "store lookups for a connection of two ClientHellos");
            MetricsSnapshot m = server.metrics();
            assertEquals(1, m.requested(Mechanism.TLS13_PSK), m.toString());
            assertEquals(1, m.misses(MissReason.UNKNOWN), m.toString());
        }
    }

    @Test
    void anIdThatJustMissedIsNotLookedUpAgainUntilItsTimePasses() throws Exception {
        CountingSessionStore store = new CountingSessionStore();
        TestClock clock = new TestClock();
        try (TestServer server = server(store, clock, h -> { })) {
            byte[] id = RawTls.randomId();
            for (int connection = 0; connection < 3; connection++) {
                if (connection == 2) {
                    clock.advance(Duration.ofMinutes(1));
                }
                try (RawTls client = RawTls.send(server.port(), RawTls.tls12WithSessionId("localhost", id))) {
                    assertFalse(client.readServerHello().echoes(id), "not resumed");
                }
            }

            assertEquals(List.of(SessionId.of(id), SessionId.of(id)), store.retrieved(),
                    "looked up by the first connection, not the second, and again once the miss is a minute old");
            MetricsSnapshot m = server.metrics();
            assertEquals(3, m.requested(Mechanism.SESSION_ID), m.toString());
            assertEquals(3, m.misses(MissReason.UNKNOWN), m.toString());
        }
    }

    /**
     * The one place a connection may look up twice: a client told to retry its ClientHello (HelloRetryRequest,
     * here because the server takes only X25519 and the client first offers a P-256 key share) offers its PSK
     * again, and OpenSSL has dropped the session it found for the first ClientHello. Only that session is looked
     * up again, and the resumption counts once.
     */
    @Test
    void aClientToldToRetryItsHelloStillResumesWithTwoLookupsOfItsSession() throws Exception {
        CountingSessionStore store = new CountingSessionStore();
        try (TestServer server = server(store, Clock.systemUTC(), h -> h.setGroups("x25519"))) {
            Path session = dir.resolve("hrr.pem");
            SClient.connect(server.port(), "localhost", session, true, "-tls1_3", "-groups", "P-256:X25519");
            OpenSslClient.Result again = SClient.connect(server.port(), "localhost", session, false, "-tls1_3",
                    "-groups", "P-256:X25519");

            assertTrue(again.reused(), again.output());
            List<SessionId> lookups = store.retrieved();
            assertEquals(2, lookups.size(), "one lookup per ClientHello: " + lookups);
            assertEquals(lookups.get(0), lookups.get(1), "the same session both times");
            MetricsSnapshot m = server.metrics();
            assertEquals(1, m.requested(Mechanism.TLS13_PSK), m.toString());
            assertEquals(1, m.hits(Mechanism.TLS13_PSK), m.toString());
            assertEquals(1, m.handshakesResumed(), m.toString());
        }
    }
}
