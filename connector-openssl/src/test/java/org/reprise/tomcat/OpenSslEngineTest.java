package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MetricsSnapshot;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.session.SessionQuery;

/** The OpenSSL engine resuming TLS 1.3 and TLS 1.2 sessions, as openssl s_client sees it and as the counters say. */
class OpenSslEngineTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();

    OpenSslEngineTest() throws Exception {
    }

    @BeforeAll
    static void openSslIsHere() {
        OpenSslPresent.assumeAvailable();
    }

    private TestServer server(SessionMode mode, Consumer<SSLHostConfig> customise) throws Exception {
        return server(mode, Clock.systemUTC(), customise);
    }

    private TestServer server(SessionMode mode, Clock clock, Consumer<SSLHostConfig> customise) throws Exception {
        return TestServer.start(dir, new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().engine("openssl").sessionMode(mode).clock(clock).build())
                .host(pki, dir, "localhost", false, false, customise)
                .host(pki, dir, "other.test", false, false, customise));
    }

    private OpenSslClient.Result client(TestServer server, String name, boolean save, String... options)
            throws Exception {
        return SClient.connect(server.port(), name, dir.resolve("session.pem"), save, options);
    }

    private static long sessions(TestServer server) {
        return server.resumption(0).resumptionContext().store().list(SessionQuery.all(), Instant.now()).total();
    }

    @Test
    void statefulResumesTls13FromTheStore() throws Exception {
        try (TestServer server = server(SessionMode.STATEFUL, h -> { })) {
            assertFalse(client(server, "localhost", true, "-tls1_3").reused());
            OpenSslClient.Result again = client(server, "localhost", false, "-tls1_3");

            assertTrue(again.protocolLine().startsWith("Reused, TLSv1.3"), again.output());
            MetricsSnapshot m = server.metrics();
            assertEquals(1, m.requested(Mechanism.TLS13_PSK));
            assertEquals(1, m.hits(Mechanism.TLS13_PSK));
            assertEquals(1, m.handshakesFull());
            assertEquals(1, m.handshakesResumed());
            assertEquals(m.requested(Mechanism.TLS13_PSK), m.hits(Mechanism.TLS13_PSK), "no misses");
            assertTrue(sessions(server) >= 1, "TLS 1.3 sessions are in the store");
        }
    }

    @Test
    void statefulResumesTls12BySessionId() throws Exception {
        try (TestServer server = server(SessionMode.STATEFUL, h -> { })) {
            client(server, "localhost", true, "-tls1_2");
            OpenSslClient.Result again = client(server, "localhost", false, "-tls1_2");

            assertTrue(again.protocolLine().startsWith("Reused, TLSv1.2"), server.metrics() + again.output());
            MetricsSnapshot m = server.metrics();
            assertEquals(1, m.hits(Mechanism.SESSION_ID));
            assertEquals(0, m.ticketsIssued(), "stateful TLS 1.2 uses session IDs only");
            assertEquals(1, sessions(server));
        }
    }

    @Test
    void purgedSessionNoLongerResumes() throws Exception {
        try (TestServer server = server(SessionMode.STATEFUL, h -> { })) {
            client(server, "localhost", true, "-tls1_3");
            server.resumption(0).resumptionContext().store().removeAll(server.resumption(0).resumptionContext().realm());

            assertFalse(client(server, "localhost", false, "-tls1_3").reused());
            assertEquals(1, server.metrics().misses(MissReason.UNKNOWN));
        }
    }

    @Test
    void statelessResumesTls13AndTls12ByTicket() throws Exception {
        try (TestServer server = server(SessionMode.STATELESS, h -> { })) {
            for (String version : List.of("-tls1_3", "-tls1_2")) {
                client(server, "localhost", true, version);
                OpenSslClient.Result again = client(server, "localhost", false, version);
                assertTrue(again.reused(), version + ": " + server.metrics() + again.output());
            }
            MetricsSnapshot m = server.metrics();
            assertEquals(1, m.hits(Mechanism.TLS13_PSK));
            assertEquals(1, m.hits(Mechanism.TICKET));
            assertEquals(0, sessions(server), "stateless mode stores nothing per session");
        }
    }

    @Test
    void retiredKeysStopEveryTicket() throws Exception {
        try (TestServer server = server(SessionMode.STATELESS, h -> { })) {
            client(server, "localhost", true, "-tls1_3");
            server.resumption(0).resumptionContext().keyRing().retireAll();

            assertFalse(client(server, "localhost", false, "-tls1_3").reused());
            assertEquals(1, server.metrics().misses(MissReason.TICKET_KEY_UNKNOWN));
        }
    }

    @Test
    void nothingResumesAfterTheSessionTimeout() throws Exception {
        for (SessionMode mode : SessionMode.values()) {
            TestClock clock = new TestClock();
            try (TestServer server = server(mode, clock, h -> h.setSessionTimeout(60))) {
                client(server, "localhost", true, "-tls1_3");
                // Only the server's clock moves: the client, whose own clock still has the ticket within its
                // lifetime hint, offers it
                clock.advance(Duration.ofSeconds(61));

                assertFalse(client(server, "localhost", false, "-tls1_3").reused(), mode.toString());
                // The store never returns an expired session; an expired stateless ticket is recognised as one
                MissReason expected = mode == SessionMode.STATEFUL ? MissReason.UNKNOWN : MissReason.EXPIRED;
                MetricsSnapshot m = server.metrics();
                assertEquals(0, m.handshakesResumed(), mode + ": " + m);
                assertEquals(1, m.requested(Mechanism.TLS13_PSK), "the client offered its ticket: " + mode + ": " + m);
                assertEquals(1, m.misses(expected), mode + ": " + m);
            }
        }
    }

    @Test
    void aCipherSuiteTheClientNoLongerOffersDoesNotResume() throws Exception {
        for (SessionMode mode : SessionMode.values()) {
            try (TestServer server = server(mode, h -> { })) {
                client(server, "localhost", true, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384");
                OpenSslClient.Result again = client(server, "localhost", false, "-tls1_2", "-cipher",
                        "ECDHE-ECDSA-AES128-GCM-SHA256");

                assertFalse(again.reused(), mode + ": " + again.output());
                assertEquals(1, server.metrics().misses(MissReason.CIPHER_UNAVAILABLE), mode + ": " + server.metrics());
            }
        }
    }

    @Test
    void aBouncyCastleAndAnOpenSslConnectorRunSideBySide() throws Exception {
        try (TestServer server = TestServer.start(dir,
                new TestServer.ConnectorSpec().host(pki, dir, "localhost", false, false, h -> { }),
                new TestServer.ConnectorSpec().settings(ResumptionSettings.builder().engine("openssl").build())
                        .host(pki, dir, "localhost", false, false, h -> { }))) {
            for (int connector = 0; connector < 2; connector++) {
                Path session = dir.resolve("c" + connector + ".pem");
                SClient.connect(server.port(connector), "localhost", session, true, "-tls1_2");
                assertTrue(SClient.connect(server.port(connector), "localhost", session, false, "-tls1_2").reused(),
                        "connector " + connector);
                assertEquals(1, server.metrics(connector).handshakesResumed(), "connector " + connector);
            }
            Path tls13 = dir.resolve("tls13.pem");
            SClient.connect(server.port(1), "localhost", tls13, true, "-tls1_3");
            assertTrue(SClient.connect(server.port(1), "localhost", tls13, false, "-tls1_3").reused(), "TLS 1.3");
            assertEquals(0, server.metrics(0).requested(Mechanism.TLS13_PSK),
                    "each connector counts only its own handshakes");
        }
    }

    @Test
    void anotherServerNameDoesNotResume() throws Exception {
        for (SessionMode mode : SessionMode.values()) {
            try (TestServer server = server(mode, h -> { })) {
                client(server, "localhost", true, "-tls1_3");
                OpenSslClient.Result elsewhere = client(server, "other.test", false, "-tls1_3");

                assertFalse(elsewhere.reused(), mode + ": " + elsewhere.output());
                assertEquals(1, server.metrics().misses(MissReason.HOST_MISMATCH), mode.toString());
            }
        }
    }
}
