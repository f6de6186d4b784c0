package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.metrics.MetricsSnapshot;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.session.MemorySessionStore;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionQuery;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.session.SessionStore;
import org.reprise.core.ticket.TicketKeyRing;

/**
 * A session line on the OpenSSL engine (a full handshake and every session renewed from it) in both session
 * modes: it resumes for no longer than the session timeout from its full handshake however often it renews,
 * never past its client certificate, only in the realm and under the client-auth policy that made it, and a
 * purge of its first session reaches its newest.
 */
class OpenSslSessionLineTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();

    OpenSslSessionLineTest() throws Exception {
    }

    @BeforeAll
    static void openSslIsHere() {
        OpenSslPresent.assumeAvailable();
    }

    private TestServer server(Path base, ResumptionSettings settings, Consumer<SSLHostConfig> customise)
            throws Exception {
        return TestServer.start(Files.createDirectories(base), new TestServer.ConnectorSpec().settings(settings)
                .host(pki, base, "localhost", false, false, customise));
    }

    private static ResumptionSettings.Builder openssl(SessionMode mode, Clock clock) {
        return ResumptionSettings.builder().engine("openssl").sessionMode(mode).clock(clock);
    }

    private void requireClientCertificates(SSLHostConfig host, String verification) {
        try {
            host.setTruststoreFile(pki.truststore(dir).toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        host.setTruststorePassword(TestPki.PASSWORD);
        host.setTruststoreType("PKCS12");
        host.setCertificateVerification(verification);
    }

    /**
     * Every ticket the client offers is fresh (40 minutes old under a one-hour timeout), but the line it
     * belongs to was authenticated more than an hour ago. The server's clock runs three hours behind the
     * wall clock: OpenSSL's own session time, on the wall clock and restarted by each renewal, has no say.
     */
    @Test
    void aResumingClientIsRefusedOnceTheTimeoutHasPassedSinceItsFullHandshake() throws Exception {
        for (SessionMode mode : SessionMode.values()) {
            TestClock clock = new TestClock();
            clock.advance(Duration.ofHours(-3));
            try (TestServer server = server(dir.resolve(mode.name()), openssl(mode, clock).build(),
                    h -> h.setSessionTimeout(3600))) {
                Path first = dir.resolve(mode + "-0.pem");
                Path renewed = dir.resolve(mode + "-1.pem");
                Path last = dir.resolve(mode + "-2.pem");
                assertFalse(SClient.connect(server.port(), "localhost", first, true, "-tls1_3").reused());
                clock.advance(Duration.ofMinutes(40));
                OpenSslClient.Result second = SClient.resume(server.port(), "localhost", first, renewed, "-tls1_3");
                assertTrue(second.reused(), mode + ": 40 minutes after the full handshake: " + second.output());
                clock.advance(Duration.ofMinutes(40));

                OpenSslClient.Result third = SClient.resume(server.port(), "localhost", renewed, last, "-tls1_3");

                MetricsSnapshot m = server.metrics();
                assertFalse(third.reused(), mode + ": 80 minutes after the full handshake, with a ticket 40 minutes"
                        + " old: " + m);
                // the store no longer returns the renewed session, which expires with its line; a ticket is refused
                // for its line's authentication, not its own age
                MissReason expected = mode == SessionMode.STATEFUL ? MissReason.UNKNOWN : MissReason.AUTH_EXPIRED;
                assertEquals(1, m.misses(expected), mode + ": " + m);
                assertEquals(1, m.handshakesResumed(), mode + ": " + m);
            }
        }
    }

    /** A client certificate valid for two more hours on a connector whose sessions last a day. */
    @Test
    void aSessionDoesNotResumeOnceItsClientCertificateHasExpired() throws Exception {
        Path cert = pki.pem(dir, "brief", shortLived("brief", Duration.ofHours(2)));
        String[] withCert = {"-tls1_3", "-cert", cert.toString(), "-key", dir.resolve("brief.key").toString()};
        for (SessionMode mode : SessionMode.values()) {
            TestClock clock = new TestClock();
            try (TestServer server = server(dir.resolve(mode.name()), openssl(mode, clock).build(), h -> {
                h.setSessionTimeout(86400);
                requireClientCertificates(h, "required");
            })) {
                Path session = dir.resolve(mode + ".pem");
                SClient.connect(server.port(), "localhost", session, true, withCert);
                assertTrue(SClient.connect(server.port(), "localhost", session, false, withCert).reused(),
                        mode + ": while the certificate is valid");
                clock.advance(Duration.ofHours(3));

                OpenSslClient.Result again = SClient.connect(server.port(), "localhost", session, false, withCert);

                assertFalse(again.reused(), mode + ": past the certificate's notAfter: " + server.metrics());
                assertEquals(1, server.metrics().misses(MissReason.AUTH_EXPIRED), mode + ": " + server.metrics());
            }
        }
    }

    /**
     * Two connectors sharing one session store and one ticket key ring: their sessions cross only if they
     * share a resumptionName, the realm.
     */
    @Test
    void sessionsResumeOnlyInTheRealmThatMadeThem() throws Exception {
        for (SessionMode mode : SessionMode.values()) {
            for (boolean sameName : new boolean[] {false, true}) {
                SessionStore store = new MemorySessionStore(100, Clock.systemUTC());
                TicketKeyRing ring = new TicketKeyRing(Duration.ofHours(1), Duration.ofHours(2), Clock.systemUTC(),
                        new SecureRandom(), key -> { });
                Path base = Files.createDirectories(dir.resolve(mode + "-" + sameName));
                try (TestServer server = TestServer.start(base,
                        connector(base, openssl(mode, Clock.systemUTC()).sessionStore(store).ticketKeyRing(ring)
                                .resumptionName("shop").node("a").build()),
                        connector(base, openssl(mode, Clock.systemUTC()).sessionStore(store).ticketKeyRing(ring)
                                .resumptionName(sameName ? "shop" : "bank").node("b").build()))) {
                    for (String version : List.of("-tls1_3", "-tls1_2")) {
                        Path session = base.resolve(version + ".pem");
                        SClient.connect(server.port(0), "localhost", session, true, version);
                        OpenSslClient.Result other = SClient.connect(server.port(1), "localhost", session, false,
                                version);
                        assertEquals(sameName, other.reused(), mode + " " + version + ", same resumptionName: "
                                + sameName + ": " + server.metrics(1));
                    }
                    assertEquals(sameName ? 0 : 2, server.metrics(1).misses(MissReason.REALM_MISMATCH),
                            mode + ": " + server.metrics(1));
                }
            }
        }
    }

    private TestServer.ConnectorSpec connector(Path base, ResumptionSettings settings) throws Exception {
        return new TestServer.ConnectorSpec().settings(settings).host(pki, base, "localhost", false, false, h -> { });
    }

    /**
     * A session made where the client certificate was not required to verify (optionalNoCA) does not resume on
     * a connector of the same realm that requires a verified one, even with a certificate that would verify: it
     * gets a full handshake, where the certificate is checked.
     */
    @Test
    void aSessionMadeUnderALenientPolicyDoesNotResumeWhereVerificationIsRequired() throws Exception {
        Path cert = pki.pem(dir, "alice", pki.client("alice"));
        String[] withCert = {"-cert", cert.toString(), "-key", dir.resolve("alice.key").toString()};
        for (SessionMode mode : SessionMode.values()) {
            for (String version : List.of("-tls1_3", "-tls1_2")) {
                SessionStore store = new MemorySessionStore(100, Clock.systemUTC());
                TicketKeyRing ring = new TicketKeyRing(Duration.ofHours(1), Duration.ofHours(2), Clock.systemUTC(),
                        new SecureRandom(), key -> { });
                Path base = Files.createDirectories(dir.resolve(mode + version));
                ResumptionSettings settings = openssl(mode, Clock.systemUTC()).sessionStore(store).ticketKeyRing(ring)
                        .resumptionName("shop").build();
                try (TestServer server = TestServer.start(base,
                        new TestServer.ConnectorSpec().settings(settings.toBuilder().node("a").build())
                                .host(pki, base, "localhost", false, false,
                                        h -> requireClientCertificates(h, "optionalNoCA")),
                        new TestServer.ConnectorSpec().settings(settings.toBuilder().node("b").build())
                                .host(pki, base, "localhost", false, false,
                                        h -> requireClientCertificates(h, "required")))) {
                    Path session = base.resolve("s.pem");
                    SClient.connect(server.port(0), "localhost", session, true, with(version, withCert));

                    OpenSslClient.Result strict = SClient.connect(server.port(1), "localhost", session, false,
                            with(version, withCert));

                    assertFalse(strict.reused(), mode + " " + version + ": " + strict.output());
                    assertEquals(1, server.metrics(1).misses(MissReason.CLIENT_AUTH_CHANGED),
                            mode + " " + version + ": " + server.metrics(1));
                }
            }
        }
    }

    private static String[] with(String version, String[] options) {
        String[] all = new String[options.length + 1];
        all[0] = version;
        System.arraycopy(options, 0, all, 1, options.length);
        return all;
    }

    /**
     * A stateful TLS 1.3 client resumes once, and so holds a ticket for a renewed session with an ID of its own;
     * the administrator purges the session its full handshake made: the renewed one goes with it.
     */
    @Test
    void purgingTheFirstSessionOfALineStopsItsNewestTicket() throws Exception {
        MemorySessionStore store = new MemorySessionStore(100, Clock.systemUTC());
        try (TestServer server = server(dir.resolve("purge"),
                openssl(SessionMode.STATEFUL, Clock.systemUTC()).sessionStore(store).build(), h -> { })) {
            Path first = dir.resolve("first.pem");
            Path renewed = dir.resolve("renewed.pem");
            SClient.connect(server.port(), "localhost", first, true, "-tls1_3");
            List<SessionRecord> made = store.list(SessionQuery.all(), Instant.now()).sessions();
            assertEquals(1, made.size(), made.toString());
            SessionId origin = made.get(0).id();
            assertTrue(SClient.resume(server.port(), "localhost", first, renewed, "-tls1_3").reused());
            assertTrue(store.list(SessionQuery.all(), Instant.now()).sessions().stream()
                    .anyMatch(r -> !r.id().equals(origin)), "the resumption made a renewed session");

            store.remove(origin);
            OpenSslClient.Result again = SClient.connect(server.port(), "localhost", renewed, false, "-tls1_3");

            assertFalse(again.reused(), "the renewed session of a purged one: " + server.metrics());
            assertEquals(1, server.metrics().misses(MissReason.UNKNOWN), server.metrics().toString());
        }
    }

    /** A client certificate of the test CA that is valid from a day ago until {@code left} from now. */
    private TestPki.Issued shortLived(String name, Duration left) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=Reprise Test CA"),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(left)), new X500Name("CN=" + name), keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pki.caKeys.getPrivate())));
        return new TestPki.Issued(keys, certificate);
    }
}
