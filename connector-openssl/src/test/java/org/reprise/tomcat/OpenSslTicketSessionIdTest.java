package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the OpenSSL engine (stateless), a TLS 1.2 client resuming with a ticket also sends a session ID of its
 * own choosing. OpenSSL copies it into the resumed session (tls_decrypt_ticket) so that the ServerHello echoes it
 * (RFC 5077, 3.4), and Tomcat reports the session's ID as {@code ssl_session_id}: the client could make the web
 * application see another client's ID. The session must report an ID of the server's own.
 *
 * <p>Removal is not at stake on this engine: OpenSSL's sessions are not removed by {@code invalidate()}, and
 * sessions resumed from tickets are never removed from the store.
 */
class OpenSslTicketSessionIdTest {

    private static final String INVALIDATE = "GET /invalidate HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();

    OpenSslTicketSessionIdTest() throws Exception {
    }

    @BeforeAll
    static void openSslIsHere() {
        OpenSslPresent.assumeAvailable();
    }

    @Test
    void aTicketResumedWithSomeoneElsesSessionIdReportsAFreshOne() throws Exception {
        CountingSessionStore store = new CountingSessionStore();
        try (TestServer server = TestServer.start(dir, new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().engine("openssl").sessionMode(SessionMode.STATELESS)
                        .sessionStore(store).build())
                .host(pki, dir, "localhost", false, false, h -> { }))) {
            // the victim's resumed connection has an ID the web application sees and anyone can read off the wire
            Path victim = dir.resolve("victim.pem");
            OpenSslClient.connect(server.port(), "localhost", victim, true, "-tls1_2");
            OpenSslClient.Result victimResumed = OpenSslClient.exchange(server.port(), "localhost", victim, false,
                    INVALIDATE, "-tls1_2");
            String victimId = victimResumed.field("invalidated");
            assertTrue(victimResumed.reused() && victimId != null && victimId.length() == 64,
                    victimResumed.output());
            // the attacker offers a ticket of its own with the victim's session ID
            Path ticket = dir.resolve("attacker.pem");
            OpenSslClient.connect(server.port(), "localhost", ticket, true, "-tls1_2");
            Path forged = dir.resolve("forged.pem");
            OpenSslSessionFiles.withSessionId(ticket, forged, HexFormat.of().parseHex(victimId));

            OpenSslClient.Result attack = OpenSslClient.exchange(server.port(), "localhost", forged, false, INVALIDATE,
                    "-tls1_2");

            assertTrue(attack.reused(), "the ticket resumed: " + attack.output());
            assertAll(
                    () -> assertNotEquals(victimId, attack.field("invalidated"), "the session ID the application saw"),
                    () -> assertEquals(64, attack.field("invalidated").length(), "an ID all the same"),
                    () -> assertEquals(List.of(), store.removed(), "sessions removed from the store"));
        }
    }
}
