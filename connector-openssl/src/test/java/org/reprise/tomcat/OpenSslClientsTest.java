package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.openssl.panama.OpenSSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MetricsSnapshot;

/** curl and the JDK's HttpClient resuming TLS 1.3 sessions on the OpenSSL engine, as the counters show. */
class OpenSslClientsTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    private TestServer server;

    OpenSslClientsTest() throws Exception {
    }

    @BeforeAll
    static void openSslIsHere() {
        OpenSslPresent.assumeAvailable();
    }

    private void start(SessionMode mode) throws Exception {
        start(new TestServer.ConnectorSpec(), mode);
    }

    private void start(TestServer.ConnectorSpec spec, SessionMode mode) throws Exception {
        server = TestServer.start(dir, spec
                .settings(ResumptionSettings.builder().engine("openssl").sessionMode(mode).build())
                .host(pki, dir, "localhost", false, false, h -> { }));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private String url() {
        return "https://localhost:" + server.port() + "/info";
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    void curlResumesTls13OnItsSecondConnection(SessionMode mode) throws Exception {
        start(mode);
        OpenSslClient.Result out = OpenSslClient.run(List.of("curl", "-sS", "--max-time", "30", "--cacert",
                pki.caPem(dir).toString(), "--tlsv1.3", "--http1.1", "-H", "Connection: close", url(), url()));

        assertEquals(2, out.output().lines().filter(l -> l.startsWith("protocol=TLSv1.3")).count(), out.output());
        MetricsSnapshot m = server.metrics();
        assertEquals(1, m.requested(Mechanism.TLS13_PSK), m.toString());
        assertEquals(1, m.hits(Mechanism.TLS13_PSK), m.toString());
        assertEquals(1, m.handshakesFullByProtocol().get("TLSv1.3"), m.toString());
        assertEquals(1, m.handshakesResumedByProtocol().get("TLSv1.3"), m.toString());
    }

    @ParameterizedTest
    @EnumSource(SessionMode.class)
    void httpClientResumesTls13OnANewConnection(SessionMode mode) throws Exception {
        start(mode);
        SSLContext shared = pki.clientContext();
        for (int i = 0; i < 2; i++) {
            // a client of its own each time, so a new connection; the SSLContext (and its session cache) is shared
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(shared)
                    .sslParameters(new SSLParameters(null, new String[] {"TLSv1.3"}))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            String body = client.send(HttpRequest.newBuilder(URI.create(url())).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(body.contains("protocol=TLSv1.3"), body);
            client.close();
        }
        MetricsSnapshot m = server.metrics();
        assertEquals(1, m.hits(Mechanism.TLS13_PSK), m.toString());
        assertEquals(1, m.handshakesResumed(), m.toString());
    }

    /**
     * Virtual threads, which docs/OPENSSL.md recommends with this engine for speed: Reprise's callbacks run on them while
     * native frames pin them to a carrier, so a callback that blocked would stall other connections. Eight
     * clients at once, each resuming its own session over and over, must all get through and all resume.
     */
    @ParameterizedTest
    @EnumSource(SessionMode.class)
    void concurrentClientsResumeOnVirtualThreads(SessionMode mode) throws Exception {
        start(new TestServer.ConnectorSpec().property("useVirtualThreads", "true"), mode);
        int clients = 8;
        int connections = 10;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    SSLContext own = pki.clientContext();
                    int tls13 = 0;
                    for (int i = 0; i < connections; i++) {
                        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                .sslContext(own).sslParameters(new SSLParameters(null, new String[] {"TLSv1.3"}))
                                .connectTimeout(Duration.ofSeconds(10)).build();
                        String body = client.send(HttpRequest.newBuilder(URI.create(url()))
                                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
                        tls13 += body.contains("protocol=TLSv1.3") ? 1 : 0;
                        client.close();
                    }
                    return tls13;
                }));
            }
            for (Future<Integer> f : done) {
                assertEquals(connections, f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        MetricsSnapshot m = server.metrics();
        assertEquals(clients, m.handshakesFull(), m.toString());
        assertEquals(clients * (connections - 1), m.handshakesResumed(), m.toString());
        assertEquals(clients * (connections - 1), m.hits(Mechanism.TLS13_PSK), m.toString());
    }

    /** Reprise's counters agree with OpenSSL's own SSL_CTX_sess_* statistics for the same handshakes. */
    @Test
    void countersAgreeWithOpenSslsOwnStatistics() throws Throwable {
        start(SessionMode.STATEFUL);
        for (String version : List.of("-tls1_3", "-tls1_2")) {
            Path session = dir.resolve("s" + version + ".pem");
            SClient.connect(server.port(), "localhost", session, true, version);
            SClient.connect(server.port(), "localhost", session, false, version);
            SClient.connect(server.port(), "localhost", session, false, version);
        }
        SSLHostConfigCertificate certificate = server.connector(0).findSslHostConfigs()[0].getCertificates()
                .iterator().next();
        MemorySegment ctx = ((OpenSSLContext) certificate.getSslContext()).getSSLContext();
        MetricsSnapshot m = server.metrics();

        assertEquals(4, m.handshakesResumed(), m.toString());
        assertEquals(stat(ctx, SSL_CTRL_SESS_HIT), m.handshakesResumed(), "resumed = SSL_CTX_sess_hits");
        assertEquals(stat(ctx, SSL_CTRL_SESS_CB_HIT), m.hits(Mechanism.TLS13_PSK) + m.hits(Mechanism.SESSION_ID),
                "found in the store = SSL_CTX_sess_cb_hits");
        assertEquals(stat(ctx, SSL_CTRL_SESS_ACCEPT_GOOD), m.handshakesFull() + m.handshakesResumed(),
                "completed = SSL_CTX_sess_accept_good");
    }

    private static final int SSL_CTRL_SESS_ACCEPT_GOOD = 25;
    private static final int SSL_CTRL_SESS_HIT = 27;
    private static final int SSL_CTRL_SESS_CB_HIT = 28;

    /** One of OpenSSL's SSL_CTX_sess_* counters (macros over SSL_CTX_ctrl). */
    private static long stat(MemorySegment ctx, int command) throws Throwable {
        MethodHandle ctrl = Linker.nativeLinker().downcallHandle(
                SymbolLookup.libraryLookup("libssl.so.3", Arena.global()).find("SSL_CTX_ctrl").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        return (long) ctrl.invokeExact(ctx, command, 0L, MemorySegment.NULL);
    }
}
