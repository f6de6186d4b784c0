package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates as Tomcat users configure them: PKCS12 and PEM, RSA and EC, several hosts chosen by SNI,
 * and client certificates, optional or required, kept across resumption.
 */
class CertificatesTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();

    CertificatesTest() throws Exception {
    }

    private OpenSslClient.Result connect(TestServer server, String name, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port(),
                "-servername", name, "-CAfile", pki.caPem(dir).toString(), "-verify_return_error"));
        command.addAll(List.of(options));
        return OpenSslClient.run(command);
    }

    private OpenSslClient.Result get(TestServer server, String name, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--http1.1",
                "--cacert", pki.caPem(dir).toString(), "--resolve", name + ":" + server.port() + ":127.0.0.1"));
        command.addAll(List.of(options));
        command.add("https://" + name + ":" + server.port() + "/info");
        return OpenSslClient.run(command);
    }

    @Test
    void servesEachHostItsOwnCertificateByServerName() throws Exception {
        try (TestServer server = TestServer.start(dir, new TestServer.ConnectorSpec()
                .host(pki, dir, "ec-p12.test", false, false, h -> { })
                .host(pki, dir, "rsa-pem.test", true, true, h -> { })
                .host(pki, dir, "rsa-p12.test", true, false, h -> { })
                .host(pki, dir, "ec-pem.test", false, true, h -> { }))) {
            for (String host : List.of("ec-p12.test", "rsa-pem.test", "rsa-p12.test", "ec-pem.test")) {
                for (String version : List.of("-tls1_2", "-tls1_3")) {
                    OpenSslClient.Result r = connect(server, host, version);
                    assertTrue(r.output().contains("subject=CN = " + host), host + " " + version + "\n" + r.output());
                    assertTrue(r.output().contains("Verify return code: 0 (ok)"), r.output());
                    assertTrue(r.output().contains(host.startsWith("rsa") ? "RSA" : "ECDSA"), r.output());
                }
            }
            OpenSslClient.Result unknown = connect(server, "unknown.test", "-tls1_2");
            assertTrue(unknown.output().contains("subject=CN = ec-p12.test"), "the default host answers the rest");
        }
    }

    @Test
    void honoursTheHostsProtocolsAndCiphers() throws Exception {
        try (TestServer server = TestServer.start(dir, new TestServer.ConnectorSpec()
                .host(pki, dir, "localhost", false, false, h -> {
                    h.setProtocols("TLSv1.2");
                    h.setCiphers("ECDHE-ECDSA-AES128-GCM-SHA256");
                }))) {
            assertFalse(connect(server, "localhost", "-tls1_3").handshakeCompleted());
            OpenSslClient.Result tls12 = connect(server, "localhost", "-tls1_2");
            assertTrue(tls12.protocolLine().equals("New, TLSv1.2, Cipher is ECDHE-ECDSA-AES128-GCM-SHA256"),
                    tls12.protocolLine());
        }
    }

    @Test
    void requiredClientCertificateIsCheckedAndKeptAcrossResumption() throws Exception {
        Path alice = pki.pem(dir, "alice", pki.client("alice"));
        Path truststore = pki.truststore(dir);
        try (TestServer server = TestServer.start(dir, new TestServer.ConnectorSpec()
                .host(pki, dir, "localhost", false, false, h -> TestPki.trustClients(h, truststore, "required")))) {
            for (String version : List.of("--tlsv1.2", "--tlsv1.3")) {
                OpenSslClient.Result anonymous = get(server, "localhost", version);
                assertFalse(anonymous.output().contains("protocol="), "no certificate, no answer: " + anonymous.output());
            }

            String[] withCert = {"--cert", alice.toString(), "--key", dir.resolve("alice.key").toString()};
            OpenSslClient.Result tls13 = get(server, "localhost", OpenSslClient.concat(withCert, "--tlsv1.3"));
            assertTrue(tls13.output().contains("client=CN=alice"), tls13.output());

            List<String> args = new ArrayList<>(List.of(withCert));
            args.addAll(List.of("--tlsv1.2", "--tls-max", "1.2", "-H", "Connection: close"));
            args.add("https://localhost:" + server.port() + "/info");
            OpenSslClient.Result twice = get(server, "localhost", args.toArray(String[]::new));
            List<String> lines = twice.output().lines()
                    .filter(l -> l.startsWith("client=") || l.startsWith("resumed=")).toList();
            assertEquals(List.of("resumed=false", "client=CN=alice", "resumed=true", "client=CN=alice"), lines,
                    twice.output());
        }
    }

    @Test
    void optionalClientCertificate() throws Exception {
        Path alice = pki.pem(dir, "alice", pki.client("alice"));
        Path truststore = pki.truststore(dir);
        try (TestServer server = TestServer.start(dir, new TestServer.ConnectorSpec()
                .host(pki, dir, "localhost", false, false, h -> TestPki.trustClients(h, truststore, "optional")))) {
            assertTrue(get(server, "localhost").output().contains("client=none"));
            assertTrue(get(server, "localhost", "--cert", alice.toString(), "--key",
                    dir.resolve("alice.key").toString()).output().contains("client=CN=alice"));
        }
    }

    @Test
    void untrustedClientCertificateIsRefused() throws Exception {
        TestPki stranger = new TestPki();
        Path mallory = stranger.pem(dir, "mallory", stranger.client("mallory"));
        Path truststore = pki.truststore(dir);
        try (TestServer server = TestServer.start(dir, new TestServer.ConnectorSpec()
                .host(pki, dir, "localhost", false, false, h -> TestPki.trustClients(h, truststore, "optional")))) {
            OpenSslClient.Result r = get(server, "localhost", "--cert", mallory.toString(), "--key",
                    dir.resolve("mallory.key").toString());
            assertFalse(r.output().contains("protocol="), r.output());
        }
    }
}
