package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.session.MemorySessionStore;
import org.reprise.core.session.SessionQuery;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.session.SessionStore;
import org.reprise.core.ticket.TicketKeyRing;

/**
 * What a TLS 1.2 session on the Bouncy Castle engine stays bound to, by session ID and by ticket, when
 * connectors share one session store and one ticket key ring: the realm (connector name) that made it, the
 * client-certificate policy it was authenticated under, its lifetime under the host's current timeout and the
 * client certificate's validity, and a purge of its session ID.
 */
class SessionBindingTest {

    private static final String[] BY_ID = {"-tls1_2", "-no_ticket"};
    private static final String[] BY_TICKET = {"-tls1_2"};

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    private final TestClock clock = new TestClock();
    private final SessionStore store = new MemorySessionStore(1000, clock);
    private final TicketKeyRing ring = new TicketKeyRing(Duration.ofHours(12), Duration.ofDays(1), clock,
            new SecureRandom(), key -> { });

    private int nodes;

    SessionBindingTest() throws Exception {
    }

    /**
     * A connector named {@code name} on the shared store, key ring and clock, with one host "localhost": a node of
     * its own (connectors of one JVM sharing a name are nodes of one cluster, and each needs its own node name).
     */
    private TestServer.ConnectorSpec connector(String name, Consumer<SSLHostConfig> host) throws Exception {
        return new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().resumptionName(name).node("node-" + nodes++).clock(clock)
                        .sessionStore(store)
                        .ticketKeyRing(ring).build())
                .host(pki, dir, "localhost", false, false, host);
    }

    private OpenSslClient.Result save(TestServer server, int connector, String file, String... options)
            throws Exception {
        OpenSslClient.Result first = OpenSslClient.connect(server.port(connector), "localhost", dir.resolve(file),
                true, options);
        assertTrue(first.handshakeCompleted() && !first.reused(), first.output());
        return first;
    }

    private OpenSslClient.Result reuse(TestServer server, int connector, String file, String... options)
            throws Exception {
        return OpenSslClient.connect(server.port(connector), "localhost", dir.resolve(file), false, options);
    }

    @Test
    void aSessionResumesOnlyInItsOwnRealm() throws Exception {
        try (TestServer server = TestServer.start(dir, connector("one", h -> { }), connector("two", h -> { }),
                connector("one", h -> { }))) {
            save(server, 0, "id.pem", BY_ID);
            save(server, 0, "ticket.pem", BY_TICKET);

            OpenSslClient.Result idElsewhere = reuse(server, 1, "id.pem", BY_ID);
            OpenSslClient.Result ticketElsewhere = reuse(server, 1, "ticket.pem", BY_TICKET);
            OpenSslClient.Result idSameRealm = reuse(server, 2, "id.pem", BY_ID);
            OpenSslClient.Result ticketSameRealm = reuse(server, 2, "ticket.pem", BY_TICKET);

            assertAll(
                    () -> assertTrue(idElsewhere.protocolLine().startsWith("New, TLSv1.2"),
                            "session ID in realm two: " + idElsewhere.protocolLine()),
                    () -> assertFalse(ticketElsewhere.reused(),
                            "ticket in realm two: " + ticketElsewhere.protocolLine()),
                    () -> assertTrue(ticketElsewhere.handshakeCompleted(), ticketElsewhere.output()),
                    () -> assertEquals(2, server.metrics(1).misses(MissReason.REALM_MISMATCH)),
                    () -> assertTrue(idSameRealm.reused(), "session ID on another connector of realm one"),
                    () -> assertTrue(ticketSameRealm.reused(), "ticket on another connector of realm one"));
        }
    }

    /**
     * Connector 0 accepts client certificates of the test CA without requiring one ({@code optionalNoCA});
     * connector 1, same realm, requires a certificate of another CA; connector 2 has connector 0's policy.
     */
    @Test
    void aClientCertificateResumesOnlyUnderThePolicyThatAcceptedIt() throws Exception {
        Path alice = pki.pem(dir, "alice", pki.client("alice"));
        String[] withCert = {"-cert", alice.toString(), "-key", dir.resolve("alice.key").toString()};
        Path ours = pki.truststore(Files.createDirectories(dir.resolve("ours")));
        Path theirs = new TestPki().truststore(Files.createDirectories(dir.resolve("theirs")));
        try (TestServer server = TestServer.start(dir, connector("shared", h -> TestPki.trustClients(h, ours, "optionalNoCA")),
                connector("shared", h -> TestPki.trustClients(h, theirs, "required")),
                connector("shared", h -> TestPki.trustClients(h, ours, "optionalNoCA")))) {
            save(server, 0, "id.pem", OpenSslClient.concat(BY_ID, withCert));
            save(server, 0, "ticket.pem", OpenSslClient.concat(BY_TICKET, withCert));

            OpenSslClient.Result idStrict = reuse(server, 1, "id.pem", OpenSslClient.concat(BY_ID, withCert));
            OpenSslClient.Result ticketStrict = reuse(server, 1, "ticket.pem", OpenSslClient.concat(BY_TICKET, withCert));
            OpenSslClient.Result idSame = reuse(server, 2, "id.pem", OpenSslClient.concat(BY_ID, withCert));
            OpenSslClient.Result ticketSame = reuse(server, 2, "ticket.pem", OpenSslClient.concat(BY_TICKET, withCert));

            assertAll(
                    () -> assertFalse(idStrict.reused(),
                            "session ID where another CA is required: " + idStrict.output()),
                    () -> assertFalse(ticketStrict.reused(), "ticket where another CA is required: "
                            + ticketStrict.output()),
                    () -> assertEquals(0, server.metrics(1).handshakesResumed()),
                    () -> assertEquals(2, server.metrics(1).misses(MissReason.CLIENT_AUTH_CHANGED),
                            server.metrics(1).toString()),
                    () -> assertTrue(idSame.reused(), "session ID under the same policy"),
                    () -> assertTrue(ticketSame.reused(), "ticket under the same policy"));
        }
    }

    @Test
    void aLoweredSessionTimeoutShortensSessionsMadeBefore() throws Exception {
        try (TestServer server = TestServer.start(dir, connector("shared", h -> h.setSessionTimeout(3600)),
                connector("shared", h -> h.setSessionTimeout(60)))) {
            save(server, 0, "id.pem", BY_ID);
            save(server, 0, "ticket.pem", BY_TICKET);
            clock.advance(Duration.ofMinutes(2));

            OpenSslClient.Result idShort = reuse(server, 1, "id.pem", BY_ID);
            OpenSslClient.Result ticketShort = reuse(server, 1, "ticket.pem", BY_TICKET);
            OpenSslClient.Result idLong = reuse(server, 0, "id.pem", BY_ID);
            OpenSslClient.Result ticketLong = reuse(server, 0, "ticket.pem", BY_TICKET);

            assertAll(
                    () -> assertFalse(idShort.reused(), "session ID under a 60 s timeout after 2 min"),
                    () -> assertFalse(ticketShort.reused(), "ticket under a 60 s timeout after 2 min"),
                    () -> assertTrue(idShort.handshakeCompleted() && ticketShort.handshakeCompleted()),
                    () -> assertEquals(2, server.metrics(1).misses(MissReason.EXPIRED)),
                    () -> assertTrue(idLong.reused(), "session ID under the 1 h timeout it was made with"),
                    () -> assertTrue(ticketLong.reused(), "ticket under the 1 h timeout it was made with"));
        }
    }

    @Test
    void aSessionEndsWhenItsClientCertificateExpires() throws Exception {
        Path alice = pki.pem(dir, "alice", pki.client("alice", Duration.ofHours(1)));
        String[] withCert = {"-cert", alice.toString(), "-key", dir.resolve("alice.key").toString()};
        Path truststore = pki.truststore(dir);
        try (TestServer server = TestServer.start(dir, connector("shared", h -> {
            TestPki.trustClients(h, truststore, "required");
            h.setSessionTimeout(86400);
        }))) {
            save(server, 0, "id.pem", OpenSslClient.concat(BY_ID, withCert));
            save(server, 0, "ticket.pem", OpenSslClient.concat(BY_TICKET, withCert));
            assertTrue(reuse(server, 0, "id.pem", OpenSslClient.concat(BY_ID, withCert)).reused(), "before the certificate expires");
            clock.advance(Duration.ofHours(2));

            OpenSslClient.Result byId = reuse(server, 0, "id.pem", OpenSslClient.concat(BY_ID, withCert));
            OpenSslClient.Result byTicket = reuse(server, 0, "ticket.pem", OpenSslClient.concat(BY_TICKET, withCert));

            assertAll(
                    () -> assertFalse(byId.reused(), "session ID after the client certificate expired"),
                    () -> assertFalse(byTicket.reused(), "ticket after the client certificate expired"),
                    () -> assertEquals(2, server.metrics().misses(MissReason.AUTH_EXPIRED)));
        }
    }

    @Test
    void purgingASessionIdAlsoStopsItsTicket() throws Exception {
        try (TestServer server = TestServer.start(dir, connector("shared", h -> { }))) {
            save(server, 0, "ticket.pem", BY_TICKET);
            List<SessionRecord> sessions = store.list(SessionQuery.all(), Instant.now()).sessions();
            assertEquals(1, sessions.size(), "the ticket's session is in the store");

            assertTrue(store.remove(sessions.get(0).id()));
            OpenSslClient.Result again = reuse(server, 0, "ticket.pem", BY_TICKET);

            assertAll(
                    () -> assertFalse(again.reused(), "the ticket of a purged session: " + again.protocolLine()),
                    () -> assertTrue(again.handshakeCompleted(), again.output()),
                    () -> assertEquals(1, server.metrics().misses(MissReason.UNKNOWN)));
        }
    }
}
