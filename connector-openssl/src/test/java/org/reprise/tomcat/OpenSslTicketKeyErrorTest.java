package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An internal error in the OpenSSL engine's ticket key callback costs the client a full handshake, never the
 * connection. OpenSSL reads the callback's -1 as fatal (tls_decrypt_ticket: SSL_TICKET_FATAL_ERR_OTHER, then an
 * internal_error alert; construct_stateless_ticket: SSLfatal), and 0 as "no key": the ticket is not opened, or
 * no ticket is issued.
 */
class OpenSslTicketKeyErrorTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();

    OpenSslTicketKeyErrorTest() throws Exception {
    }

    @BeforeAll
    static void openSslIsHere() {
        OpenSslPresent.assumeAvailable();
    }

    /** The connector's clock, which the test can make fail: the ring reads it for every key it hands out. */
    private static final class BreakableClock extends Clock {
        volatile boolean broken;

        @Override
        public Instant instant() {
            if (broken) {
                throw new IllegalStateException("the test broke the clock");
            }
            return Instant.now();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("tests only need instants");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void aFailingKeyRingCostsAFullHandshakeNotTheConnection(String version) throws Exception {
        BreakableClock clock = new BreakableClock();
        try (TestServer server = TestServer.start(dir, new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().engine("openssl").sessionMode(SessionMode.STATELESS)
                        .clock(clock).build())
                .host(pki, dir, "localhost", false, false, h -> { }))) {
            Path session = dir.resolve("session.pem");
            SClient.connect(server.port(), "localhost", session, true, version);
            clock.broken = true;
            try {
                // the ticket cannot be opened (the key lookup fails) and no new one can be sealed
                OpenSslClient.Result again = SClient.connect(server.port(), "localhost", session, false, version);

                // s_client prints "New, TLSv1.x" from the session it offered even when the server aborts
                assertFalse(again.output().contains("SSL alert number"), "the server aborted: " + again.output());
                assertFalse(again.reused(), again.output());
                assertEquals(2, server.metrics().handshakesFull(), server.metrics() + again.output());
            } finally {
                clock.broken = false;
            }
        }
    }
}
