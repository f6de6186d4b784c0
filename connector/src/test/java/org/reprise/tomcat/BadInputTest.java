package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.net.ssl.SSLEngine;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MetricsSnapshot;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.ticket.TicketKey;

/**
 * Bad input on the TLS port: garbage, cut-off records, plain HTTP, damaged tickets, and session IDs or
 * tickets that belong to another server or another host. Each gets a closed connection or a full
 * handshake, and the right miss counter moves.
 *
 * <p>All tests share one connector with two SSLHostConfigs ("localhost", the default, and "other.test").
 * After every test ({@link #connectorSurvived()}): no thread is left inside Reprise code, the connector
 * still completes a normal handshake, and nothing was logged at SEVERE with a stack trace.
 *
 * <p>The engine under test is the Bouncy Castle engine, unless the system properties
 * {@code reprise.test.engine} and {@code reprise.test.sessionMode} name another: the OpenSSL engine's
 * module runs this class once per session mode. Tests of a mechanism the mode does not offer (TLS 1.2
 * tickets when stateful, stored session IDs when stateless) are skipped there.
 */
class BadInputTest {

    private static final String DEFAULT_HOST = "localhost";
    private static final String OTHER_HOST = "other.test";
    private static final int CLOSE_WITHIN_MILLIS = 10_000;
    private static final Duration ENGINE_IDLE_WITHIN = Duration.ofSeconds(5);
    /** Key name, GCM nonce and GCM tag around the sealed session. */
    private static final int SEALED_TICKET_OVERHEAD = TicketKey.NAME_LENGTH + 12 + 16;

    @TempDir
    static Path serverDir;

    private static TestPki pki;
    private static TestServer server;
    private static final SevereLogRecorder severeLogs = new SevereLogRecorder();

    @TempDir
    Path tmp;

    private static final ResumptionSettings ENGINE = ResumptionSettings.builder()
            .engine(System.getProperty("reprise.test.engine", ResumptionSettings.BOUNCY_CASTLE_ENGINE))
            .sessionMode(SessionMode.parse(System.getProperty("reprise.test.sessionMode", "stateful")))
            .build();
    /** The Bouncy Castle engine does both; the OpenSSL engine has TLS 1.2 tickets only when stateless. */
    private static final boolean TLS12_TICKETS = ENGINE.engine().equals(ResumptionSettings.BOUNCY_CASTLE_ENGINE)
            || ENGINE.sessionMode() == SessionMode.STATELESS;
    private static final boolean STORED_SESSIONS = ENGINE.engine().equals(ResumptionSettings.BOUNCY_CASTLE_ENGINE)
            || ENGINE.sessionMode() == SessionMode.STATEFUL;

    @BeforeAll
    static void startServer() throws Exception {
        pki = new TestPki();
        server = TestServer.start(serverDir, new TestServer.ConnectorSpec()
                .settings(ENGINE)
                .host(pki, serverDir, DEFAULT_HOST, false, false, h -> { })
                .host(pki, serverDir, OTHER_HOST, false, false, h -> { }));
        Logger.getLogger("").addHandler(severeLogs);
    }

    @AfterAll
    static void stopServer() throws Exception {
        Logger.getLogger("").removeHandler(severeLogs);
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void forgetEarlierLogs() {
        severeLogs.clear();
    }

    @AfterEach
    void connectorSurvived() throws Exception {
        assertNoThreadInReprise();
        OpenSslClient.Result normal = OpenSslClient.connect(server.port(), DEFAULT_HOST, tmp.resolve("after.pem"),
                true);
        assertHandshakeCompleted(normal);
        assertEquals(List.of(), severeLogs.recorded(), "stack traces logged at SEVERE");
    }

    // ---- bytes that are not TLS

    @Test
    void randomBytesGetTheConnectionClosed() throws IOException {
        byte[] junk = new byte[4096];
        new Random(20251123L).nextBytes(junk);
        sendAndAwaitClose(junk, false);
    }

    @Test
    void truncatedClientHelloGetsTheConnectionClosed() throws Exception {
        byte[] hello = realClientHello();
        assertEquals(0x16, hello[0], "a handshake record");
        assertTrue(hello.length > 5 + 50, "ClientHello is " + hello.length + " bytes");
        // The header still announces the whole ClientHello; only 50 bytes of it follow, then EOF.
        sendAndAwaitClose(Arrays.copyOf(hello, 5 + 50), true);
    }

    @Test
    void plainHttpGetsTomcatsUseTlsAnswerOrAClose() throws IOException {
        byte[] request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        String answer = new String(sendAndAwaitClose(request, false), StandardCharsets.ISO_8859_1);
        assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 400"), "answer to plain HTTP: " + answer);
    }

    /**
     * A ClientHello the server must refuse (TLS 1.2 offering only AES128-SHA, a suite an EC key cannot
     * serve) is answered with a handshake_failure alert, not a bare close.
     */
    @Test
    void refusedHandshakeIsAnsweredWithAnAlert() throws Exception {
        OpenSslClient.Result refused = OpenSslClient.connect(server.port(), DEFAULT_HOST, tmp.resolve("refused.pem"),
                true, "-tls1_2", "-cipher", "AES128-SHA");

        assertFalse(refused.reused() || refused.protocolLine().contains("TLSv1"), refused.output());
        assertTrue(refused.output().contains("alert handshake failure"), refused.output());
    }

    // ---- damaged tickets

    /** Ways to damage a ticket, and the miss each must be counted as. */
    enum TicketDamage {
        FLIPPED_MIDDLE_BYTE(MissReason.TICKET_INVALID, ticket -> {
            byte[] damaged = ticket.clone();
            damaged[damaged.length / 2] ^= 0x5A;
            return damaged;
        }),
        UNKNOWN_KEY_NAME(MissReason.TICKET_KEY_UNKNOWN, ticket -> {
            byte[] damaged = ticket.clone();
            for (int i = 0; i < TicketKey.NAME_LENGTH; i++) {
                damaged[i] ^= (byte) 0xFF;
            }
            return damaged;
        }),
        CUT_TO_20_BYTES(MissReason.TICKET_INVALID, ticket -> Arrays.copyOf(ticket, 20));

        final MissReason expected;
        final UnaryOperator<byte[]> damage;

        TicketDamage(MissReason expected, UnaryOperator<byte[]> damage) {
            this.expected = expected;
            this.damage = damage;
        }
    }

    @ParameterizedTest
    @EnumSource(TicketDamage.class)
    void damagedTicketMeansAFullHandshake(TicketDamage damage) throws Exception {
        assumeTrue(TLS12_TICKETS, "no TLS 1.2 tickets in this session mode");
        Path saved = save(server, DEFAULT_HOST, "-tls1_2");
        Path damaged = tmp.resolve("damaged.pem");
        byte[] ticket = OpenSslSessionFile.rewriteTicket(saved, damaged, damage.damage);
        assertTrue(ticket.length > SEALED_TICKET_OVERHEAD, "the server issued a ticket of " + ticket.length + " bytes");

        MetricsSnapshot before = server.metrics();
        OpenSslClient.Result resumed = OpenSslClient.connect(server.port(), DEFAULT_HOST, damaged, false, "-tls1_2");

        assertFullTls12Handshake(resumed);
        assertMissCounted(before, server.metrics(), Mechanism.TICKET, damage.expected);
    }

    // ---- sessions that belong elsewhere

    @Test
    void sessionIdFromAnotherServerIsUnknown() throws Exception {
        Path otherDir = Files.createDirectories(tmp.resolve("other-server"));
        Path saved;
        try (TestServer other = TestServer.start(otherDir, new TestServer.ConnectorSpec()
                .host(pki, otherDir, DEFAULT_HOST, false, false, h -> { }))) {
            saved = save(other, DEFAULT_HOST, "-tls1_2", "-no_ticket");
        }

        MetricsSnapshot before = server.metrics();
        OpenSslClient.Result resumed = OpenSslClient.connect(server.port(), DEFAULT_HOST, saved, false,
                "-tls1_2", "-no_ticket");

        assertFullTls12Handshake(resumed);
        assertMissCounted(before, server.metrics(), Mechanism.SESSION_ID, MissReason.UNKNOWN);
    }

    @ParameterizedTest
    @EnumSource(value = Mechanism.class, names = {"SESSION_ID", "TICKET"})
    void sessionOfAnotherHostIsAHostMismatch(Mechanism mechanism) throws Exception {
        assumeTrue(mechanism == Mechanism.TICKET ? TLS12_TICKETS : STORED_SESSIONS, "not offered in this session mode");
        String[] options = mechanism == Mechanism.TICKET ? new String[] {"-tls1_2"}
                : new String[] {"-tls1_2", "-no_ticket"};
        Path saved = save(server, DEFAULT_HOST, options);

        MetricsSnapshot before = server.metrics();
        OpenSslClient.Result resumed = OpenSslClient.connect(server.port(), OTHER_HOST, saved, false, options);

        assertFullTls12Handshake(resumed);
        assertMissCounted(before, server.metrics(), mechanism, MissReason.HOST_MISMATCH);
    }

    // ---- helpers

    /** Makes a full handshake with {@code openssl s_client} and returns the file its session was saved in. */
    private Path save(TestServer target, String hostName, String... options) throws Exception {
        Path file = Files.createTempFile(tmp, "session-", ".pem");
        assertHandshakeCompleted(OpenSslClient.connect(target.port(), hostName, file, true, options));
        assertTrue(Files.size(file) > 0, "openssl saved no session");
        return file;
    }

    /**
     * A handshake completed. Stricter than {@link OpenSslClient.Result#handshakeCompleted()}, which also
     * accepts the "New, (NONE), Cipher is (NONE)" that s_client prints after a failed handshake.
     */
    private static void assertHandshakeCompleted(OpenSslClient.Result result) {
        assertTrue(result.protocolLine().matches("(New|Reused), TLSv1\\.[23], .*"),
                "no handshake completed: '" + result.protocolLine() + "':\n" + result.output());
    }

    private static void assertFullTls12Handshake(OpenSslClient.Result result) {
        assertTrue(result.protocolLine().startsWith("New, TLSv1.2"),
                "expected a full TLS 1.2 handshake, got '" + result.protocolLine() + "':\n" + result.output());
    }

    /** The resumption was asked for by {@code mechanism}, refused for {@code reason} only, and not granted. */
    private static void assertMissCounted(MetricsSnapshot before, MetricsSnapshot after, Mechanism mechanism,
            MissReason reason) {
        String counters = "\nbefore: " + before + "\nafter:  " + after;
        assertEquals(1, after.requested(mechanism) - before.requested(mechanism), "requested " + mechanism + counters);
        assertEquals(0, after.hits(mechanism) - before.hits(mechanism), "hits " + mechanism + counters);
        for (MissReason r : MissReason.values()) {
            assertEquals(r == reason ? 1 : 0, after.misses(r) - before.misses(r), "misses " + r + counters);
        }
        assertEquals(1, after.handshakesFull() - before.handshakesFull(), "full handshakes" + counters);
    }

    /**
     * Sends {@code data} on a plain TCP connection to the TLS port, optionally ends the output, and reads
     * until the server closes (end of stream or reset).
     *
     * @return what the server sent before closing
     */
    private static byte[] sendAndAwaitClose(byte[] data, boolean endOutput) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + Duration.ofMillis(CLOSE_WITHIN_MILLIS).toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), CLOSE_WITHIN_MILLIS);
            socket.setSoTimeout(CLOSE_WITHIN_MILLIS);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(data);
                out.flush();
                if (endOutput) {
                    socket.shutdownOutput();
                }
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[4096];
                for (int n; (n = in.read(buffer)) != -1; ) {
                    received.write(buffer, 0, n);
                    if (System.nanoTime() > deadline) {
                        fail("the server kept sending for " + CLOSE_WITHIN_MILLIS + " ms");
                    }
                }
            } catch (SocketTimeoutException e) {
                fail("the server kept the connection open for " + CLOSE_WITHIN_MILLIS + " ms; it sent "
                        + received.size() + " bytes");
            } catch (IOException e) {
                // Reset by the server: closed too.
            }
        }
        return received.toByteArray();
    }

    /** The first record a JDK TLS client sends: a real ClientHello. */
    private static byte[] realClientHello() throws Exception {
        SSLEngine client = pki.clientContext().createSSLEngine(DEFAULT_HOST, server.port());
        client.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }

    /** Waits up to 5 s for every thread (but this one) to leave Reprise's code; fails naming those that don't. */
    private static void assertNoThreadInReprise() throws InterruptedException {
        long deadline = System.nanoTime() + ENGINE_IDLE_WITHIN.toNanos();
        while (!threadsInReprise().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Map<Thread, StackTraceElement[]> busy = threadsInReprise();
        assertTrue(busy.isEmpty(), () -> "threads still in Reprise code:\n" + busy.entrySet().stream()
                .map(e -> e.getKey().getName() + "\n\tat " + Arrays.stream(e.getValue()).map(String::valueOf)
                        .collect(Collectors.joining("\n\tat ")))
                .collect(Collectors.joining("\n")));
    }

    private static Map<Thread, StackTraceElement[]> threadsInReprise() {
        Thread self = Thread.currentThread();
        Map<Thread, StackTraceElement[]> all = Thread.getAllStackTraces();
        all.entrySet().removeIf(e -> e.getKey() == self || !e.getKey().isAlive()
                || Arrays.stream(e.getValue()).noneMatch(f -> f.getClassName().startsWith("org.reprise.")));
        return all;
    }

    /** Collects log records at SEVERE or above that carry a stack trace (Tomcat's JULI logs through JUL). */
    private static final class SevereLogRecorder extends Handler {
        private final List<String> records = new ArrayList<>();

        SevereLogRecorder() {
            setLevel(Level.SEVERE);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue() && record.getThrown() != null) {
                records.add(record.getLoggerName() + ": " + record.getMessage() + ": " + record.getThrown());
            }
        }

        synchronized List<String> recorded() {
            return List.copyOf(records);
        }

        synchronized void clear() {
            records.clear();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /**
     * An {@code openssl s_client -sess_out} file: PEM "SSL SESSION PARAMETERS" around OpenSSL's DER
     * {@code SSL_SESSION_ASN1} SEQUENCE, whose session ticket is the OCTET STRING in explicit field [10].
     */
    private static final class OpenSslSessionFile {
        private static final int TICKET_FIELD = 10;

        /**
         * Writes {@code to}: the session of {@code from} with its ticket replaced by {@code change(ticket)}.
         *
         * @return the original ticket
         */
        static byte[] rewriteTicket(Path from, Path to, UnaryOperator<byte[]> change) throws IOException {
            PemObject pem;
            try (Reader in = Files.newBufferedReader(from); PemReader reader = new PemReader(in)) {
                pem = reader.readPemObject();
            }
            assertEquals("SSL SESSION PARAMETERS", pem.getType());
            byte[] original = null;
            ASN1EncodableVector fields = new ASN1EncodableVector();
            for (ASN1Encodable field : ASN1Sequence.getInstance(pem.getContent())) {
                if (field instanceof ASN1TaggedObject tagged && tagged.getTagClass() == BERTags.CONTEXT_SPECIFIC
                        && tagged.getTagNo() == TICKET_FIELD) {
                    original = ASN1OctetString.getInstance(tagged, true).getOctets();
                    field = new DERTaggedObject(true, TICKET_FIELD, new DEROctetString(change.apply(original)));
                }
                fields.add(field);
            }
            assertNotNull(original, "the saved session holds no ticket");
            byte[] der = new DERSequence(fields).getEncoded(ASN1Encoding.DER);
            try (Writer out = Files.newBufferedWriter(to); PemWriter writer = new PemWriter(out)) {
                writer.writeObject(new PemObject(pem.getType(), der));
            }
            return original;
        }
    }
}
