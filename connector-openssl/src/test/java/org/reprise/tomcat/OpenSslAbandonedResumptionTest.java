package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSSL removes a connection's session from its cache, and so calls the remove-session callback, on every
 * fatal alert sent or received (s3_msg.c ssl3_send_alert, rec_layer_s3.c ssl3_read_bytes), handshake finished or
 * not. A TLS 1.2 session ID is in clear in every ServerHello: anyone who saw one could send it in a ClientHello,
 * let the server resume it, give up with an alert, and so remove the session from the store (on every node of a
 * cluster). Only a connection that proved it holds the session's keys (its handshake finished) may remove it.
 */
class OpenSslAbandonedResumptionTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();

    OpenSslAbandonedResumptionTest() throws Exception {
    }

    @BeforeAll
    static void openSslIsHere() {
        OpenSslPresent.assumeAvailable();
    }

    @Test
    void aClientThatOffersSomeoneElsesSessionIdAndGivesUpDoesNotRemoveIt() throws Exception {
        CountingSessionStore store = new CountingSessionStore();
        try (TestServer server = TestServer.start(dir, new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().engine("openssl").sessionMode(SessionMode.STATEFUL)
                        .sessionStore(store).build())
                .host(pki, dir, "localhost", false, false, h -> { }))) {
            Path victim = dir.resolve("victim.pem");
            byte[] victimId = HexFormat.of().parseHex(
                    OpenSslClient.connect(server.port(), "localhost", victim, true, "-tls1_2").sessionId());

            try (RawTls attacker = RawTls.send(server.port(), RawTls.tls12WithSessionId("localhost", victimId))) {
                assertTrue(attacker.readServerHello().echoes(victimId), "the server resumes the victim's session");
                attacker.sendFatalAlert();
                attacker.awaitClose();
            }

            OpenSslClient.Result victimAgain = OpenSslClient.connect(server.port(), "localhost", victim, false,
                    "-tls1_2");
            assertAll(
                    () -> assertEquals(List.of(), store.removed(), "sessions removed from the store"),
                    () -> assertTrue(victimAgain.reused(), "the victim's session still resumes"));
        }
    }

    /**
     * In TLS 1.3 the PSK identity (a stateful ticket: the session's ID in the store) is in clear in the
     * client's ClientHello, and a recorded ClientHello replayed as is carries a valid binder. The server resumes
     * the session for the replay, which cannot finish the handshake and gives up with an alert.
     */
    @Test
    void aReplayedTls13ClientHelloThatGivesUpDoesNotRemoveTheSession() throws Exception {
        CountingSessionStore store = new CountingSessionStore();
        try (TestServer server = TestServer.start(dir, new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().engine("openssl").sessionMode(SessionMode.STATEFUL)
                        .sessionStore(store).build())
                .host(pki, dir, "localhost", false, false, h -> { }))) {
            Path victim = dir.resolve("victim.pem");
            SClient.connect(server.port(), "localhost", victim, true, "-tls1_3");
            byte[] recorded;
            try (OneConnectionProxy wire = new OneConnectionProxy(server.port(), false)) {
                assertTrue(OpenSslClient.connect(wire.port(), "localhost", victim, false, "-tls1_3").reused());
                recorded = wire.firstClientRecord();
            }

            try (RawTls attacker = RawTls.send(server.port(), recorded)) {
                assertFalse(attacker.readServerHello().retryRequest());
                attacker.sendFatalAlert();
                attacker.awaitClose();
            }

            OpenSslClient.Result victimAgain = OpenSslClient.connect(server.port(), "localhost", victim, false,
                    "-tls1_3");
            assertAll(
                    () -> assertEquals(List.of(), store.removed(), "sessions removed from the store"),
                    () -> assertTrue(victimAgain.reused(), "the victim's ticket still resumes"));
        }
    }

    /**
     * A connection that resumed and finished its handshake proved it holds the session's keys: when it then
     * fails (here its first record is damaged, and the server answers with a fatal bad_record_mac), OpenSSL
     * forgets the session, and so does the store (RFC 5246, 7.2.2).
     */
    @Test
    void aResumedConnectionThatFinishedItsHandshakeAndThenFailsStillRemovesItsSession() throws Exception {
        CountingSessionStore store = new CountingSessionStore();
        try (TestServer server = TestServer.start(dir, new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().engine("openssl").sessionMode(SessionMode.STATEFUL)
                        .sessionStore(store).build())
                .host(pki, dir, "localhost", false, false, h -> { }))) {
            Path session = dir.resolve("session.pem");
            String id = OpenSslClient.connect(server.port(), "localhost", session, true, "-tls1_2").sessionId();

            try (OneConnectionProxy proxy = new OneConnectionProxy(server.port(), true)) {
                OpenSslClient.Result resumed = OpenSslClient.exchange(proxy.port(), "localhost", session, false,
                        "GET /info HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", "-tls1_2");
                assertTrue(resumed.reused(), resumed.output());
                assertTrue(resumed.output().contains("bad record mac"), resumed.output());
            }

            assertEquals(List.of(id.toLowerCase(java.util.Locale.ROOT)),
                    store.removed().stream().map(org.reprise.core.session.SessionId::hex).toList());
        }
    }
}
