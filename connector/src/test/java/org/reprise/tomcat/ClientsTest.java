package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reprise.core.metrics.MetricsSnapshot;

/** Real clients (curl, the JDK's HttpClient) over Tomcat's NIO and NIO2 connectors. */
class ClientsTest {

    private static final int TEN_MB = 10 * 1024 * 1024;

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    private TestServer server;

    ClientsTest() throws Exception {
    }

    private void start(boolean nio2) throws Exception {
        TestServer.ConnectorSpec spec = new TestServer.ConnectorSpec()
                .host(pki, dir, "localhost", false, false, h -> { });
        server = TestServer.start(dir, nio2 ? spec.nio2() : spec);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private String url(String path) {
        return "https://localhost:" + server.port() + path;
    }

    private OpenSslClient.Result curl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "30",
                "--cacert", pki.caPem(dir).toString()));
        command.addAll(List.of(args));
        return OpenSslClient.run(command);
    }

    @ParameterizedTest(name = "nio2={0}")
    @ValueSource(booleans = {false, true})
    void curlResumesTls12OnItsSecondConnection(boolean nio2) throws Exception {
        start(nio2);
        OpenSslClient.Result out = curl("--http1.1", "--tlsv1.2", "--tls-max", "1.2", "-H", "Connection: close",
                url("/info"), url("/info"));

        List<String> resumed = out.output().lines().filter(l -> l.startsWith("resumed=")).toList();
        assertEquals(List.of("resumed=false", "resumed=true"), resumed, out.output());
        MetricsSnapshot m = server.metrics();
        assertEquals(1, m.handshakesFull());
        assertEquals(1, m.handshakesResumed());
    }

    @ParameterizedTest(name = "nio2={0}")
    @ValueSource(booleans = {false, true})
    void curlSpeaksHttp2(boolean nio2) throws Exception {
        start(nio2);
        OpenSslClient.Result out = curl("--http2", url("/info"));

        assertTrue(out.output().contains("http=HTTP/2.0"), out.output());
    }

    @ParameterizedTest(name = "nio2={0}")
    @ValueSource(booleans = {false, true})
    void httpClientOverTls13And12(boolean nio2) throws Exception {
        start(nio2);
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            String body = client(protocol).send(HttpRequest.newBuilder(URI.create(url("/info"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            assertTrue(body.contains("protocol=" + protocol), body);
            assertTrue(body.contains("cipher=TLS_"), body);
            assertTrue(body.contains("keySize="), body);
            assertTrue(body.lines().anyMatch(l -> l.matches("session=[0-9a-f]{64}")), body);
        }
    }

    @ParameterizedTest(name = "nio2={0}")
    @ValueSource(booleans = {false, true})
    void tenMegabyteBodiesArriveByteExactBothWays(boolean nio2) throws Exception {
        start(nio2);
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            HttpClient client = client(protocol);
            byte[] upload = new byte[TEN_MB];
            new Random(42).nextBytes(upload);
            String received = client.send(HttpRequest.newBuilder(URI.create(url("/digest")))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertEquals("length=" + TEN_MB + "\nsha256=" + HexFormat.of().formatHex(sha256(upload)) + "\n", received,
                    "upload over " + protocol);

            try (InputStream download = client.send(HttpRequest.newBuilder(URI.create(url("/bytes?n=" + TEN_MB)))
                    .build(), HttpResponse.BodyHandlers.ofInputStream()).body()) {
                assertEquals(TEN_MB, verifyPattern(download), "download over " + protocol);
            }
        }
    }

    @ParameterizedTest(name = "nio2={0}")
    @ValueSource(booleans = {false, true})
    void connectionsCloseWithCloseNotifyBothWays(boolean nio2) throws Exception {
        start(nio2);
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) pki.clientContext().getSocketFactory()
                    .createSocket("localhost", server.port())) {
                socket.setSoTimeout(10_000);
                socket.setEnabledProtocols(new String[] {protocol});
                socket.getOutputStream().write("GET /info HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String response = new String(socket.getInputStream().readAllBytes(),
                        java.nio.charset.StandardCharsets.US_ASCII);
                // readAllBytes ends cleanly only on the server's close_notify; a bare TCP close would throw.
                assertTrue(response.contains("protocol=" + protocol), response);
            }
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) pki.clientContext().getSocketFactory()
                    .createSocket("localhost", server.port())) {
                socket.setSoTimeout(10_000);
                socket.setEnabledProtocols(new String[] {protocol});
                socket.startHandshake();
                socket.shutdownOutput();
                assertEquals(-1, socket.getInputStream().read(), "the server answers our close_notify with its own");
            }
        }
        assertEquals(4, server.metrics().handshakesFull());
    }

    private HttpClient client(String protocol) throws Exception {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(pki.clientContext())
                .sslParameters(new SSLParameters(null, new String[] {protocol}))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static long verifyPattern(InputStream in) throws IOException {
        byte[] buffer = new byte[65536];
        long position = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            for (int i = 0; i < n; i++, position++) {
                if (buffer[i] != TestServer.ProbeServlet.pattern(position)) {
                    throw new AssertionError("byte " + position + " differs");
                }
            }
        }
        return position;
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
