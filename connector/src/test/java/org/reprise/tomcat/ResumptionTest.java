package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.time.Clock;
import java.time.Duration;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MetricsSnapshot;
import org.reprise.core.metrics.MissReason;

/** Resumption as OpenSSL's s_client sees it, checked against the server's counters. */
class ResumptionTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();

    ResumptionTest() throws Exception {
    }

    private TestServer server(java.util.function.Consumer<SSLHostConfig> customise) throws Exception {
        return server(Clock.systemUTC(), customise);
    }

    private TestServer server(Clock clock, java.util.function.Consumer<SSLHostConfig> customise) throws Exception {
        return TestServer.start(dir, new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().clock(clock).build())
                .host(pki, dir, "localhost", false, false, customise)
                .host(pki, dir, "other.test", false, false, customise));
    }

    private OpenSslClient.Result save(TestServer server, String name, String... options) throws Exception {
        OpenSslClient.Result first = OpenSslClient.connect(server.port(), name, dir.resolve("session.pem"), true,
                options);
        assertTrue(first.handshakeCompleted(), first.output());
        assertFalse(first.reused(), first.protocolLine());
        return first;
    }

    private OpenSslClient.Result reuse(TestServer server, String name, String... options) throws Exception {
        OpenSslClient.Result again = OpenSslClient.connect(server.port(), name, dir.resolve("session.pem"), false,
                options);
        assertTrue(again.handshakeCompleted(), again.output());
        return again;
    }

    @Test
    void resumesTls12BySessionId() throws Exception {
        try (TestServer server = server(h -> { })) {
            save(server, "localhost", "-tls1_2", "-no_ticket");
            OpenSslClient.Result again = reuse(server, "localhost", "-tls1_2", "-no_ticket");

            assertTrue(again.protocolLine().startsWith("Reused, TLSv1.2"), again.protocolLine());
            MetricsSnapshot m = server.metrics();
            assertEquals(1, m.requested(Mechanism.SESSION_ID));
            assertEquals(1, m.hits(Mechanism.SESSION_ID));
            assertEquals(0, m.ticketsIssued());
            assertEquals(1, m.handshakesFull());
            assertEquals(1, m.handshakesResumed());
            assertEquals(1, server.resumption(0).resumptionContext().store()
                    .list(org.reprise.core.session.SessionQuery.all(), java.time.Instant.now()).total());
        }
    }

    @Test
    void resumesTls12ByTicket() throws Exception {
        try (TestServer server = server(h -> { })) {
            save(server, "localhost", "-tls1_2");
            OpenSslClient.Result again = reuse(server, "localhost", "-tls1_2");

            assertTrue(again.protocolLine().startsWith("Reused, TLSv1.2"), again.protocolLine());
            MetricsSnapshot m = server.metrics();
            assertEquals(1, m.ticketsIssued());
            assertEquals(1, m.requested(Mechanism.TICKET));
            assertEquals(1, m.hits(Mechanism.TICKET));
            assertEquals(0, m.requested(Mechanism.SESSION_ID), "a ticket decides; the session ID is not looked up");
        }
    }

    /**
     * A store that dropped a session to make room has not purged it: its ticket still resumes. (A purge, by
     * {@code remove} or {@code removeAll}, also stops the tickets: see SessionBindingTest.)
     */
    @Test
    void ticketStillResumesWhenTheStoreForgotTheSession() throws Exception {
        try (TestServer server = server(h -> h.setSessionCacheSize(1))) {
            save(server, "localhost", "-tls1_2");
            OpenSslClient.connect(server.port(), "localhost", dir.resolve("evicting.pem"), true, "-tls1_2",
                    "-no_ticket");
            assertEquals(1, server.resumption(0).resumptionContext().store()
                    .list(org.reprise.core.session.SessionQuery.all(), java.time.Instant.now()).total(),
                    "the store keeps one session, the newer one");

            assertTrue(reuse(server, "localhost", "-tls1_2").reused(), "tickets are stateless");
        }
    }

    @Test
    void ticketsOffResumesBySessionIdInstead() throws Exception {
        try (TestServer server = server(h -> h.setDisableSessionTickets(true))) {
            save(server, "localhost", "-tls1_2");
            OpenSslClient.Result again = reuse(server, "localhost", "-tls1_2");

            assertTrue(again.reused(), again.protocolLine());
            assertEquals(0, server.metrics().ticketsIssued());
            assertEquals(1, server.metrics().hits(Mechanism.SESSION_ID));
        }
    }

    @Test
    void anotherServerNameDoesNotResume() throws Exception {
        try (TestServer server = server(h -> { })) {
            for (List<String> options : List.of(List.of("-tls1_2", "-no_ticket"), List.of("-tls1_2"))) {
                String[] args = options.toArray(String[]::new);
                save(server, "localhost", args);
                OpenSslClient.Result elsewhere = reuse(server, "other.test", args);
                assertFalse(elsewhere.reused(), elsewhere.protocolLine());
            }
            assertEquals(2, server.metrics().misses(MissReason.HOST_MISMATCH));
            assertEquals(0, server.metrics().handshakesResumed());
        }
    }

    @Test
    void aCipherSuiteTheClientNoLongerOffersDoesNotResume() throws Exception {
        try (TestServer server = server(h -> { })) {
            save(server, "localhost", "-tls1_2", "-no_ticket", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");
            OpenSslClient.Result other = reuse(server, "localhost", "-tls1_2", "-no_ticket", "-cipher",
                    "ECDHE-ECDSA-AES256-GCM-SHA384");

            assertFalse(other.reused(), other.protocolLine());
            assertEquals(1, server.metrics().misses(MissReason.CIPHER_UNAVAILABLE));
        }
    }

    @Test
    void nothingResumesAfterTheSessionTimeout() throws Exception {
        TestClock clock = new TestClock();
        try (TestServer server = server(clock, h -> h.setSessionTimeout(60))) {
            save(server, "localhost", "-tls1_2", "-no_ticket");
            Path idSession = dir.resolve("id.pem");
            java.nio.file.Files.move(dir.resolve("session.pem"), idSession);
            save(server, "localhost", "-tls1_2");
            clock.advance(Duration.ofSeconds(61));

            assertFalse(OpenSslClient.connect(server.port(), "localhost", idSession, false, "-tls1_2", "-no_ticket")
                    .reused());
            assertFalse(reuse(server, "localhost", "-tls1_2").reused());
            MetricsSnapshot m = server.metrics();
            assertEquals(1, m.misses(MissReason.UNKNOWN), "the store never returns an expired session");
            assertEquals(1, m.misses(MissReason.EXPIRED), "an expired ticket is told apart");
            assertEquals(0, m.handshakesResumed());
        }
    }

    @Test
    void tls13IsAlwaysFullAndAResumptionOfferIsCounted() throws Exception {
        try (TestServer server = server(h -> { })) {
            OpenSslClient.Result tls13 = save(server, "localhost", "-tls1_3");
            assertTrue(tls13.protocolLine().startsWith("New, TLSv1.3"), tls13.protocolLine());

            // Bouncy Castle sends no TLS 1.3 tickets, so offer one from another TLS 1.3 server.
            Path foreign = ForeignTls13Session.fromOpensslServer(dir, pki);
            OpenSslClient.Result offer = OpenSslClient.connect(server.port(), "localhost", foreign, false, "-tls1_3");

            assertTrue(offer.protocolLine().startsWith("New, TLSv1.3"), offer.output());
            MetricsSnapshot m = server.metrics();
            assertEquals(1, m.requested(Mechanism.TLS13_PSK));
            assertEquals(1, m.misses(MissReason.ENGINE_UNSUPPORTED));
            assertEquals(2, m.handshakesFullByProtocol().get("TLSv1.3"));
        }
    }

    @Test
    void countersAgreeWithWhatClientsSaw() throws Exception {
        try (TestServer server = server(h -> { })) {
            int resumed = 0;
            int full = 0;
            for (int i = 0; i < 3; i++) {
                String[] options = i % 2 == 0 ? new String[] {"-tls1_2", "-no_ticket"} : new String[] {"-tls1_2"};
                OpenSslClient.Result first = save(server, "localhost", options);
                full += first.reused() ? 0 : 1;
                for (int j = 0; j < 2; j++) {
                    OpenSslClient.Result again = reuse(server, "localhost", options);
                    resumed += again.reused() ? 1 : 0;
                    full += again.reused() ? 0 : 1;
                }
            }
            MetricsSnapshot m = server.metrics();
            assertEquals(6, resumed);
            assertEquals(resumed, m.handshakesResumed());
            assertEquals(full, m.handshakesFull());
            assertEquals(m.hits(Mechanism.SESSION_ID) + m.hits(Mechanism.TICKET), resumed);
        }
    }
}
