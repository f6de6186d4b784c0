package org.reprise.tomcat;

import java.time.Clock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.session.MemorySessionStore;

/** Client certificates and resumption on the OpenSSL engine. */
class OpenSslCertificatesTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();

    OpenSslCertificatesTest() throws Exception {
    }

    @BeforeAll
    static void openSslIsHere() {
        OpenSslPresent.assumeAvailable();
    }

    private TestServer server(Path base, MemorySessionStore store, String verification) throws Exception {
        Path truststore = pki.truststore(dir);
        return TestServer.start(Files.createDirectories(base), new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().engine("openssl").sessionStore(store).resumptionName("certificates")
                        .node(verification).build())
                .host(pki, base, "localhost", false, false, h -> trust(h, truststore, verification)));
    }

    private static void trust(SSLHostConfig host, Path truststore, String verification) {
        host.setTruststoreFile(truststore.toString());
        host.setTruststorePassword(TestPki.PASSWORD);
        host.setTruststoreType("PKCS12");
        host.setCertificateVerification(verification);
    }

    @Test
    void aRequiredClientCertificateIsKeptAcrossTls13Resumption() throws Exception {
        Path alice = pki.pem(dir, "alice", pki.client("alice"));
        String[] withCert = {"-tls1_3", "-cert", alice.toString(), "-key", dir.resolve("alice.key").toString()};
        try (TestServer server = server(dir.resolve("one"), new MemorySessionStore(100, Clock.systemUTC()), "required")) {
            Path session = dir.resolve("s.pem");
            SClient.connect(server.port(), "localhost", session, true, withCert);
            OpenSslClient.Result again = SClient.connect(server.port(), "localhost", session, false, withCert);

            assertTrue(again.protocolLine().startsWith("Reused, TLSv1.3"), again.output());
            assertTrue(server.resumption(0).resumptionContext().store()
                    .list(org.reprise.core.session.SessionQuery.all(), java.time.Instant.now()).sessions().stream()
                    .allMatch(r -> "CN=alice".equals(r.peerIdentity())), "the stored sessions name the client");
        }
    }

    /** A session made where certificates were optional, and the client sent none, does not resume once one is required. */
    @Test
    void aSessionWithoutACertificateDoesNotResumeWhereOneIsNowRequired() throws Exception {
        MemorySessionStore shared = new MemorySessionStore(100, Clock.systemUTC());
        Path session = dir.resolve("s.pem");
        try (TestServer optional = server(dir.resolve("optional"), shared, "optional")) {
            SClient.connect(optional.port(), "localhost", session, true, "-tls1_3");
        }
        try (TestServer required = server(dir.resolve("required"), shared, "required")) {
            OpenSslClient.Result again = OpenSslClient.connect(required.port(), "localhost", session, false,
                    "-tls1_3");

            assertFalse(again.reused(), again.output());
            assertEquals(1, required.metrics().requested(Mechanism.TLS13_PSK), required.metrics().toString());
            assertEquals(1, required.metrics().misses(MissReason.CLIENT_CERT_REQUIRED), required.metrics().toString());
        }
    }
}
