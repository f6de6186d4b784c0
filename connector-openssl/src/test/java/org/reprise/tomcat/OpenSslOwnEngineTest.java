package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import org.apache.tomcat.util.net.SSLContext;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reprise.engine.openssl.OpenSslContexts;

/**
 * What Reprise's own OpenSSL SSLEngine does beyond resumption, as curl, openssl s_client and a servlet see
 * it: ALPN, client certificates, the resumed flag, freeing each connection's SSL, and surviving bad records.
 */
class OpenSslOwnEngineTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    private TestServer server;

    OpenSslOwnEngineTest() throws Exception {
    }

    @BeforeAll
    static void openSslIsHere() {
        OpenSslPresent.assumeAvailable();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private void start(Consumer<SSLHostConfig> customise) throws Exception {
        server = TestServer.start(dir, new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().engine("openssl").build())
                .host(pki, dir, "localhost", false, false, customise));
    }

    private String url() {
        return "https://localhost:" + server.port() + "/info";
    }

    private OpenSslClient.Result curl(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert",
                pki.caPem(dir).toString()));
        command.addAll(List.of(options));
        return OpenSslClient.run(command);
    }

    private SSLContext sslContext() {
        return server.connector(0).findSslHostConfigs()[0].getCertificates().iterator().next().getSslContext();
    }

    /** Waits for Tomcat to finish closing the connections it has accepted, then counts their SSLs. */
    private int liveConnectionsAfterClose() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int live = OpenSslContexts.liveConnections(sslContext());
        while (live > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
            live = OpenSslContexts.liveConnections(sslContext());
        }
        return live;
    }

    @Test
    void alpnChoosesH2WhenTheClientOffersIt() throws Exception {
        start(h -> { });
        OpenSslClient.Result h2 = curl("--http2", url());
        OpenSslClient.Result h11 = curl("--http1.1", url());
        OpenSslClient.Result alpn = OpenSslClient.run(List.of("openssl", "s_client", "-connect",
                "127.0.0.1:" + server.port(), "-servername", "localhost", "-alpn", "h2,http/1.1"));

        assertTrue(h2.output().contains("http=HTTP/2.0"), h2.output());
        assertTrue(h11.output().contains("http=HTTP/1.1"), h11.output());
        assertTrue(alpn.output().contains("ALPN protocol: h2"), alpn.output());
    }

    /** One host with an RSA and an EC certificate: Tomcat picks the context by what the client can verify. */
    @Test
    void rsaAndEcCertificatesServeOneHost() throws Exception {
        Path rsaStore = pki.pkcs12(dir, "localhost-rsa", pki.server("localhost", true));
        start(h -> {
            SSLHostConfigCertificate rsa = new SSLHostConfigCertificate(h, SSLHostConfigCertificate.Type.RSA);
            rsa.setCertificateKeystoreFile(rsaStore.toString());
            rsa.setCertificateKeystorePassword(TestPki.PASSWORD);
            rsa.setCertificateKeystoreType("PKCS12");
            h.addCertificate(rsa);
        });
        for (String[] client : List.of(new String[] {"-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "RSA"},
                new String[] {"-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "EC"},
                new String[] {"-tls1_3", "-sigalgs", "rsa_pss_rsae_sha256", "RSA"},
                new String[] {"-tls1_3", "-sigalgs", "ecdsa_secp256r1_sha256", "EC"})) {
            OpenSslClient.Result out = OpenSslClient.run(List.of("openssl", "s_client", "-connect",
                    "127.0.0.1:" + server.port(), "-servername", "localhost", "-showcerts", client[0], client[1],
                    client[2]));
            assertTrue(out.protocolLine().startsWith("New, TLSv1."), String.join(" ", client) + ": " + out.output());
            String pem = out.output().substring(out.output().indexOf("-----BEGIN CERTIFICATE-----"));
            X509Certificate served = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            assertEquals(client[3], served.getPublicKey().getAlgorithm(), String.join(" ", client));
        }
    }

    @Test
    void aRequiredClientCertificateIsCheckedNatively() throws Exception {
        Path truststore = pki.truststore(dir);
        start(h -> TestPki.trustClients(h, truststore, "required"));
        Path alice = pki.pem(dir, "alice", pki.client("alice"));

        OpenSslClient.Result with = curl("--cert", alice.toString(), "--key", dir.resolve("alice.key").toString(), url());
        OpenSslClient.Result without = curl(url());

        assertTrue(with.output().contains("client=CN=alice"), with.output());
        assertNotEquals(0, without.exitCode(), without.output());
        assertFalse(without.output().contains("protocol="), without.output());
    }

    @Test
    void anOptionalClientCertificateMayBeLeftOut() throws Exception {
        Path truststore = pki.truststore(dir);
        start(h -> TestPki.trustClients(h, truststore, "optional"));
        Path alice = pki.pem(dir, "alice", pki.client("alice"));

        OpenSslClient.Result with = curl("--cert", alice.toString(), "--key", dir.resolve("alice.key").toString(), url());
        OpenSslClient.Result without = curl(url());

        assertTrue(with.output().contains("client=CN=alice"), with.output());
        assertTrue(without.output().contains("client=none"), without.output());
    }

    @Test
    void aCertificateFromAnUnknownIssuerIsRefused() throws Exception {
        Path truststore = pki.truststore(dir);
        start(h -> TestPki.trustClients(h, truststore, "optional"));
        TestPki stranger = new TestPki();
        Path mallory = stranger.pem(dir, "mallory", stranger.client("mallory"));

        OpenSslClient.Result refused = curl("--cert", mallory.toString(), "--key", dir.resolve("mallory.key").toString(),
                url());

        assertNotEquals(0, refused.exitCode(), refused.output());
        assertFalse(refused.output().contains("protocol="), refused.output());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.3", "1.2"})
    void theServletSeesTheSecondConnectionResumed(String version) throws Exception {
        start(h -> { });
        OpenSslClient.Result out = curl("--tlsv" + version, "--tls-max", version, "--http1.1", "-H",
                "Connection: close", url(), url());

        List<String> resumed = out.output().lines().filter(l -> l.startsWith("resumed=")).toList();
        assertEquals(List.of("resumed=false", "resumed=true"), resumed, out.output());
        assertEquals(2, out.output().lines().filter(l -> l.equals("protocol=TLSv" + version)).count(), out.output());
    }

    @Test
    void everyConnectionsSslIsFreedWhenItCloses() throws Exception {
        start(h -> { });
        Path session = dir.resolve("s.pem");
        SClient.connect(server.port(), "localhost", session, true, "-tls1_3");
        for (int i = 0; i < 10; i++) {
            SClient.connect(server.port(), "localhost", session, false, i % 2 == 0 ? "-tls1_3" : "-tls1_2");
        }
        curl("--http2", url(), url());
        garbage(server.port(), new byte[] {'G', 'E', 'T', ' ', '/', '\r', '\n', '\r', '\n'});

        assertEquals(0, liveConnectionsAfterClose(), "SSLs still allocated after every client closed");
    }

    @Test
    void garbageBytesGetTheConnectionClosedAndFreed() throws Exception {
        start(h -> { });
        // a record and a ClientHello header Tomcat's SNI reader accepts, then noise for OpenSSL to refuse
        byte[] hello = new byte[5 + 4 + 60];
        new Random(7).nextBytes(hello);
        System.arraycopy(new byte[] {0x16, 0x03, 0x01, 0x00, 64, 0x01, 0x00, 0x00, 60, 0x03, 0x03}, 0, hello, 0, 11);
        String answer = garbage(server.port(), hello);

        assertTrue(answer.isEmpty() || answer.startsWith("15"), "an alert or nothing: " + answer);
        assertEquals(0, liveConnectionsAfterClose());
        assertTrue(curl(url()).output().contains("protocol=TLSv1.3"), "the connector still serves");
    }

    /** A record that fails to decrypt after the handshake: a bad_record_mac alert and a close, not a hang. */
    @Test
    void aForgedRecordAfterTheHandshakeClosesTheConnection() throws Exception {
        start(h -> { });
        try (Socket plain = new Socket("127.0.0.1", server.port())) {
            plain.setSoTimeout(10_000);
            SSLSocket tls = (SSLSocket) pki.clientContext().getSocketFactory().createSocket(plain, "localhost",
                    server.port(), false);
            tls.setEnabledProtocols(new String[] {"TLSv1.3"});
            tls.startHandshake();
            byte[] forged = new byte[5 + 64];
            new Random(3).nextBytes(forged);
            forged[0] = 0x17;
            forged[1] = 0x03;
            forged[2] = 0x03;
            forged[3] = 0;
            forged[4] = 64;
            OutputStream out = plain.getOutputStream();
            out.write(forged);
            out.flush();
            assertTrue(readsToTheEnd(plain.getInputStream()), "the server closed the connection");
        }
        assertEquals(0, liveConnectionsAfterClose());
    }

    /** A truncated record (a header promising more than ever comes) ends with the client's close, freed. */
    @Test
    void aTruncatedRecordThenACloseFreesTheConnection() throws Exception {
        start(h -> { });
        garbage(server.port(), new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00});

        assertEquals(0, liveConnectionsAfterClose());
    }

    /** Sends {@code bytes}, half-closes, and returns what the server answered (hex) until it closed. */
    private static String garbage(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(bytes);
            socket.shutdownOutput();
            byte[] answer = socket.getInputStream().readAllBytes();
            return java.util.HexFormat.of().formatHex(answer);
        }
    }

    private static boolean readsToTheEnd(InputStream in) throws IOException {
        byte[] buffer = new byte[1024];
        try {
            while (in.read(buffer) >= 0) {
                // alert bytes, then the end of the stream
            }
            return true;
        } catch (java.net.SocketException reset) {
            return reset.getMessage() != null && reset.getMessage().contains("reset");
        }
    }
}
