package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the Bouncy Castle engine, a TLS 1.2 client resuming with a ticket also sends a session ID of its own
 * choosing, which the ServerHello echoes (RFC 5077, 3.4). The session must not report it as its ID: the ID of
 * someone else's session (visible in every ServerHello) would then reach the web application as
 * {@code ssl_session_id}, and invalidating the connection's session would remove that other session from the
 * store, on every node of a cluster.
 */
class TicketSessionIdTest {

    private static final String INVALIDATE = "GET /invalidate HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();

    TicketSessionIdTest() throws Exception {
    }

    @Test
    void aTicketResumedWithSomeoneElsesSessionIdNeitherReportsNorRemovesIt() throws Exception {
        CountingSessionStore store = new CountingSessionStore();
        try (TestServer server = TestServer.start(dir, new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().sessionStore(store).build())
                .host(pki, dir, "localhost", false, false, h -> { }))) {
            // the victim's session is in the store, under the ID its ServerHello showed to anyone watching
            Path victim = dir.resolve("victim.pem");
            String victimId = OpenSslClient.connect(server.port(), "localhost", victim, true, "-tls1_2", "-no_ticket")
                    .sessionId().toLowerCase(Locale.ROOT);
            assertEquals(64, victimId.length(), "the victim got a session ID");
            // the attacker has a ticket of its own, and offers it with the victim's session ID
            Path ticket = dir.resolve("attacker.pem");
            OpenSslClient.connect(server.port(), "localhost", ticket, true, "-tls1_2");
            Path forged = dir.resolve("forged.pem");
            OpenSslSessionFiles.withSessionId(ticket, forged, HexFormat.of().parseHex(victimId));

            OpenSslClient.Result attack = OpenSslClient.exchange(server.port(), "localhost", forged, false, INVALIDATE,
                    "-tls1_2");

            assertTrue(attack.reused(), "the ticket resumed: " + attack.output());
            OpenSslClient.Result victimAgain = OpenSslClient.connect(server.port(), "localhost", victim, false,
                    "-tls1_2", "-no_ticket");
            assertAll(
                    () -> assertNotEquals(victimId, attack.field("invalidated"), "the session ID the application saw"),
                    () -> assertEquals(List.of(), store.removed(), "sessions removed from the store"),
                    () -> assertTrue(victimAgain.reused(), "the victim's session still resumes"));
        }
    }

    /** A session resumed by its session ID belongs to the client that proved its keys: invalidating removes it. */
    @Test
    void invalidatingASessionResumedByItsIdRemovesIt() throws Exception {
        CountingSessionStore store = new CountingSessionStore();
        try (TestServer server = TestServer.start(dir, new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().sessionStore(store).build())
                .host(pki, dir, "localhost", false, false, h -> { }))) {
            Path session = dir.resolve("session.pem");
            String id = OpenSslClient.connect(server.port(), "localhost", session, true, "-tls1_2", "-no_ticket")
                    .sessionId().toLowerCase(Locale.ROOT);

            OpenSslClient.Result again = OpenSslClient.exchange(server.port(), "localhost", session, false, INVALIDATE,
                    "-tls1_2", "-no_ticket");

            assertTrue(again.reused(), again.output());
            assertEquals(id, again.field("invalidated"));
            assertEquals(1, store.removed().size());
            assertFalse(OpenSslClient.connect(server.port(), "localhost", session, false, "-tls1_2", "-no_ticket")
                    .reused(), "invalidated");
        }
    }
}
