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
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.reprise.engine.openssl.OpenSslContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MetricsSnapshot;
import org.reprise.core.metrics.MissReason;

/**
 * Clients other than {@code openssl s_client} (curl, gnutls-cli, Python's {@code ssl} module, the JDK's HttpClient)
 * resuming TLS 1.3 and TLS 1.2 sessions on the OpenSSL engine in each session mode, each asserted twice: by what the
 * client itself reports and by the connector's counters.
 */
class OpenSslClientsTest {

    /**
     * Python's {@code ssl} module: connects twice, offering the first connection's session on the second, and
     * prints what each connection reports. It reads the whole response before taking the session because TLS 1.3
     * tickets arrive after the handshake.
     */
    private static final String PYTHON_CLIENT = """
            import socket, ssl, sys
            port, cafile, version = int(sys.argv[1]), sys.argv[2], sys.argv[3]
            context = ssl.create_default_context(cafile=cafile)
            context.minimum_version = context.maximum_version = ssl.TLSVersion[version]
            session = None
            for connection in range(2):
                with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                    with context.wrap_socket(raw, server_hostname="localhost", session=session) as tls:
                        tls.sendall(b"GET /info HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n")
                        while tls.recv(65536):
                            pass
                        print(f"version={tls.version()} session_reused={tls.session_reused}")
                        session = tls.session
            """;

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

    /**
     * Each session mode with each protocol version, and the mechanism the client resumes by: TLS 1.2 in stateful
     * mode by session ID (this mode issues no TLS 1.2 tickets), in stateless mode by RFC 5077 ticket.
     */
    static Stream<Arguments> resumptions() {
        return Stream.of(
                Arguments.of(SessionMode.STATEFUL, "1.3", Mechanism.TLS13_PSK),
                Arguments.of(SessionMode.STATELESS, "1.3", Mechanism.TLS13_PSK),
                Arguments.of(SessionMode.STATEFUL, "1.2", Mechanism.SESSION_ID),
                Arguments.of(SessionMode.STATELESS, "1.2", Mechanism.TICKET));
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

    /** The counters after a client's two connections: one full handshake, then one resumed by {@code mechanism}. */
    private void assertResumedOnce(String version, Mechanism mechanism) {
        MetricsSnapshot m = server.metrics();
        assertEquals(1, m.requested(mechanism), m.toString());
        assertEquals(1, m.hits(mechanism), m.toString());
        assertEquals(1, m.handshakesFull(), m.toString());
        assertEquals(1, m.handshakesResumed(), m.toString());
        assertEquals(1, m.handshakesResumedByProtocol().get("TLSv" + version), m.toString());
    }

    private static long lines(OpenSslClient.Result out, String prefix) {
        return out.output().lines().filter(l -> l.startsWith(prefix)).count();
    }

    /** Every resumption but TLS 1.2 in stateless mode, which curl cannot make (see below). */
    static Stream<Arguments> curlResumptions() {
        return resumptions().filter(a -> a.get()[2] != Mechanism.TICKET);
    }

    private OpenSslClient.Result curlTwice(String version) throws Exception {
        return OpenSslClient.run(List.of("curl", "-sS", "-v", "--max-time", "30", "--cacert",
                pki.caPem(dir).toString(), "--tlsv" + version, "--tls-max", version, "--http1.1",
                "-H", "Connection: close", url(), url()));
    }

    @ParameterizedTest(name = "{0} TLS {1}")
    @MethodSource("curlResumptions")
    void curlResumesOnItsSecondConnection(SessionMode mode, String version, Mechanism mechanism) throws Exception {
        start(mode);
        OpenSslClient.Result out = curlTwice(version);

        assertEquals(2, lines(out, "protocol=TLSv" + version), out.output());
        // "re-using session ID" only says that curl offers the first connection's session; that the server took
        // it shows in the certificate, which a resumed handshake does not send
        assertEquals(1, lines(out, "* SSL re-using session ID"), out.output());
        assertEquals(1, lines(out, "* TLSv" + version + " (IN), TLS handshake, Certificate (11)"), out.output());
        assertResumedOnce(version, mechanism);
    }

    /**
     * curl built on OpenSSL turns TLS 1.2 tickets off (its ClientHello carries no session_ticket extension), so in
     * stateless mode, which keeps no sessions to find by ID, its TLS 1.2 session ID misses as unknown.
     */
    @Test
    void curlCannotResumeTls12InStatelessMode() throws Exception {
        start(SessionMode.STATELESS);
        OpenSslClient.Result out = curlTwice("1.2");

        assertEquals(1, lines(out, "* SSL re-using session ID"), out.output());
        assertEquals(2, lines(out, "* TLSv1.2 (IN), TLS handshake, Certificate (11)"), out.output());
        assertEquals(0, lines(out, "* TLSv1.2 (IN), TLS handshake, Newsession Ticket (4)"), out.output());
        MetricsSnapshot m = server.metrics();
        assertEquals(1, m.requested(Mechanism.SESSION_ID), m.toString());
        assertEquals(1, m.misses(MissReason.UNKNOWN), m.toString());
        assertEquals(0, m.requested(Mechanism.TICKET), m.toString());
        assertEquals(2, m.handshakesFull(), m.toString());
    }

    @ParameterizedTest(name = "{0} TLS {1}")
    @MethodSource("resumptions")
    void gnutlsCliResumes(SessionMode mode, String version, Mechanism mechanism) throws Exception {
        start(mode);
        // --waitresumption: without it gnutls-cli waits for a TLS 1.3 ticket only a round trip plus 60 ms after
        // the handshake, and resumes nothing when the server's first ticket comes later than that
        OpenSslClient.Result out = OpenSslClient.run(List.of("gnutls-cli", "--resume", "--waitresumption",
                "--x509cafile", pki.caPem(dir).toString(), "--priority", "NORMAL:-VERS-ALL:+VERS-TLS" + version,
                "-p", Integer.toString(server.port()), "localhost"));

        assertEquals(2, lines(out, "- Description: (TLS" + version + "-"), out.output());
        assertTrue(out.output().contains("\n*** This is a resumed session"), server.metrics() + out.output());
        assertResumedOnce(version, mechanism);
    }

    @ParameterizedTest(name = "{0} TLS {1}")
    @MethodSource("resumptions")
    void pythonResumesWithTheSessionOfItsFirstConnection(SessionMode mode, String version, Mechanism mechanism)
            throws Exception {
        start(mode);
        OpenSslClient.Result out = OpenSslClient.run(List.of("python3", "-c", PYTHON_CLIENT,
                Integer.toString(server.port()), pki.caPem(dir).toString(), "TLSv" + version.replace('.', '_')));

        assertEquals(List.of("version=TLSv" + version + " session_reused=False",
                "version=TLSv" + version + " session_reused=True"), out.output().lines().toList(), out.output());
        assertResumedOnce(version, mechanism);
    }

    @ParameterizedTest(name = "{0} TLS {1}")
    @MethodSource("resumptions")
    void httpClientResumesOnANewConnection(SessionMode mode, String version, Mechanism mechanism) throws Exception {
        start(mode);
        SSLContext shared = pki.clientContext();
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            // a client of its own each time, so a new connection; the SSLContext (and its session cache) is shared
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(shared)
                    .sslParameters(new SSLParameters(null, new String[] {"TLSv" + version}))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(response.body().contains("protocol=TLSv" + version), response.body());
            created.add(response.sslSession().orElseThrow().getCreationTime());
            client.close();
        }
        // JSSE gives a resumed session the creation time of the session it resumes; a full handshake a new one
        assertEquals(created.get(0), created.get(1), "the second connection continues the first one's session");
        assertResumedOnce(version, mechanism);
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
        MemorySegment ctx = OpenSslContexts.sslCtx(certificate.getSslContext());
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
