package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLParameters;
import org.apache.tomcat.util.net.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reprise.engine.openssl.OpenSslContexts;

/**
 * The OpenSSL engine against the JDK's own client SSLEngine, in memory, without Tomcat's channel in between:
 * the SSLEngine contract (statuses, FINISHED once, buffer overflow and underflow, byte counts, close_notify)
 * as any SSLEngine user relies on it.
 */
class OpenSslEngineContractTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    private TestServer server;
    private SSLContext context;

    OpenSslEngineContractTest() throws Exception {
    }

    @BeforeAll
    static void openSslIsHere() {
        OpenSslPresent.assumeAvailable();
    }

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir, new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().engine("openssl").build())
                .host(pki, dir, "localhost", false, false, h -> { }));
        context = server.connector(0).findSslHostConfigs()[0].getCertificates().iterator().next().getSslContext();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private SSLEngine client(String protocol) throws Exception {
        SSLEngine client = pki.clientContext().createSSLEngine("localhost", server.port());
        client.setUseClientMode(true);
        client.setSSLParameters(new SSLParameters(null, new String[] {protocol}));
        return client;
    }

    /**
     * Runs a handshake in memory, checking on the way that a server record does not fit in one byte.
     *
     * @return how often the server reported FINISHED
     */
    private static int handshake(SSLEngine server, SSLEngine client) throws Exception {
        client.beginHandshake();
        // the network, each way, in write mode
        ByteBuffer c2s = ByteBuffer.allocate(1 << 17);
        ByteBuffer s2c = ByteBuffer.allocate(1 << 17);
        ByteBuffer app = ByteBuffer.allocate(server.getSession().getApplicationBufferSize());
        ByteBuffer clientApp = ByteBuffer.allocate(client.getSession().getApplicationBufferSize());
        int finished = 0;
        boolean overflowSeen = false;
        for (int round = 0; round < 200 && !(client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                && server.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING && c2s.position() == 0
                && s2c.position() == 0); round++) {
            HandshakeStatus c = client.getHandshakeStatus();
            if (c == HandshakeStatus.NEED_WRAP) {
                assertEquals(Status.OK, client.wrap(ByteBuffer.allocate(0), c2s).getStatus());
            } else if (c == HandshakeStatus.NEED_TASK) {
                runTasks(client);
            } else if (s2c.position() > 0) {
                s2c.flip();
                client.unwrap(s2c, clientApp);
                s2c.compact();
            }
            HandshakeStatus h = server.getHandshakeStatus();
            SSLEngineResult r = null;
            if (h == HandshakeStatus.NEED_WRAP) {
                if (!overflowSeen) {
                    assertEquals(Status.BUFFER_OVERFLOW, server.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(1))
                            .getStatus(), "a record does not fit in one byte");
                    overflowSeen = true;
                }
                r = server.wrap(ByteBuffer.allocate(0), s2c);
                assertEquals(Status.OK, r.getStatus(), r.toString());
                assertTrue(r.bytesProduced() > 0, r.toString());
            } else if (c2s.position() > 0) {
                c2s.flip();
                r = server.unwrap(c2s, app);
                assertTrue(r.bytesConsumed() > 0, r.toString());
                c2s.compact();
            }
            finished += r != null && r.getHandshakeStatus() == HandshakeStatus.FINISHED ? 1 : 0;
        }
        assertTrue(overflowSeen, "the server wrapped at least once");
        return finished;
    }

    private static ByteBuffer packet(SSLEngine engine) {
        return ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void handshakeDataAndCloseFollowTheSslEngineContract(String protocol) throws Exception {
        int live = OpenSslContexts.liveConnections(context);
        SSLEngine server = context.createSSLEngine();
        server.setUseClientMode(false);
        SSLEngine client = client(protocol);
        assertEquals(live + 1, OpenSslContexts.liveConnections(context), "one SSL per engine");

        assertEquals(HandshakeStatus.NOT_HANDSHAKING, server.getHandshakeStatus(), "before beginHandshake");
        server.beginHandshake();
        assertEquals(HandshakeStatus.NEED_UNWRAP, server.getHandshakeStatus(), "a server waits for the ClientHello");
        SSLEngineResult nothing = server.unwrap(ByteBuffer.allocate(0), ByteBuffer.allocate(100));
        assertEquals(Status.BUFFER_UNDERFLOW, nothing.getStatus());
        assertEquals(0, nothing.bytesConsumed());

        assertEquals(1, handshake(server, client), "FINISHED is reported once");
        ByteBuffer toServer = packet(client);
        ByteBuffer toClient = packet(server);
        assertEquals(protocol, server.getSession().getProtocol());
        assertEquals(client.getSession().getCipherSuite(), server.getSession().getCipherSuite(), "IANA names");
        assertNull(server.getHandshakeSession(), "no handshake in progress");
        assertEquals("", server.getApplicationProtocol(), "no ALPN offered");

        // 100 KB each way, in records of at most 16 KB
        byte[] request = new byte[100_000];
        new Random(1).nextBytes(request);
        ByteBuffer requestIn = ByteBuffer.allocate(request.length);
        ByteBuffer plain = ByteBuffer.wrap(request);
        while (plain.hasRemaining()) {
            toServer.clear();
            SSLEngineResult w = client.wrap(plain, toServer);
            toServer.flip();
            while (toServer.hasRemaining()) {
                SSLEngineResult r = server.unwrap(toServer, requestIn);
                assertEquals(Status.OK, r.getStatus(), r.toString());
                assertTrue(r.bytesConsumed() > 0, r.toString());
            }
            assertEquals(Status.OK, w.getStatus());
        }
        assertArrayEquals(request, requestIn.array());

        byte[] response = new byte[100_000];
        new Random(2).nextBytes(response);
        ByteBuffer responseIn = ByteBuffer.allocate(response.length + 20_000);
        plain = ByteBuffer.wrap(response);
        ByteBuffer small = ByteBuffer.allocate(1000);
        assertEquals(Status.BUFFER_OVERFLOW, server.wrap(plain, small).getStatus(), "16 KB do not fit in 1000 bytes");
        assertEquals(0, plain.position(), "nothing consumed on overflow");
        long consumed = 0;
        while (plain.hasRemaining()) {
            toClient.clear();
            SSLEngineResult w = server.wrap(plain, toClient);
            assertEquals(Status.OK, w.getStatus());
            assertTrue(w.bytesConsumed() > 0 && w.bytesConsumed() <= 16384, w.toString());
            assertEquals(toClient.position(), w.bytesProduced());
            consumed += w.bytesConsumed();
            toClient.flip();
            while (toClient.hasRemaining()) {
                assertTrue(client.unwrap(toClient, responseIn).bytesConsumed() > 0, "client data unwrap");
            }
        }
        assertEquals(response.length, consumed);
        assertArrayEquals(response, java.util.Arrays.copyOf(responseIn.array(), response.length));

        // Tomcat's close: closeOutbound, then a wrap that carries close_notify and says CLOSED
        server.closeOutbound();
        assertEquals(live, OpenSslContexts.liveConnections(context), "the SSL is freed on closeOutbound");
        toClient.clear();
        SSLEngineResult close = server.wrap(ByteBuffer.allocate(0), toClient);
        assertEquals(Status.CLOSED, close.getStatus());
        assertTrue(close.bytesProduced() > 0, "close_notify");
        assertTrue(server.isOutboundDone());
        toClient.flip();
        assertEquals(Status.CLOSED, client.unwrap(toClient, responseIn).getStatus(), "the client sees close_notify");
        assertEquals(Status.CLOSED, server.wrap(ByteBuffer.allocate(0), toClient).getStatus(), "and stays closed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void unwrapTakesAtMostTwoRecordsOfCiphertextAtATime(String protocol) throws Exception {
        SSLEngine server = context.createSSLEngine();
        server.setUseClientMode(false);
        SSLEngine client = client(protocol);
        server.beginHandshake();
        handshake(server, client);

        // a megabyte of records in one buffer, read through a small window: the engine must leave in the
        // buffer what it cannot use yet, not copy all of it into native memory
        byte[] request = new byte[1 << 20];
        new Random(3).nextBytes(request);
        ByteBuffer wire = ByteBuffer.allocate(request.length + 200 * packet(client).capacity());
        ByteBuffer plain = ByteBuffer.wrap(request);
        while (plain.hasRemaining()) {
            assertEquals(Status.OK, client.wrap(plain, wire).getStatus());
        }
        wire.flip();
        int limit = 2 * server.getSession().getPacketBufferSize();
        ByteBuffer window = ByteBuffer.allocate(1000);
        ByteBuffer received = ByteBuffer.allocate(request.length);
        for (int calls = 0; received.hasRemaining() && calls < 10_000; calls++) {
            SSLEngineResult r = server.unwrap(wire, window);
            assertTrue(r.bytesConsumed() <= limit, r + " took more than two records");
            window.flip();
            received.put(window);
            window.clear();
        }
        assertArrayEquals(request, received.array(), "every byte arrives, in order");
        assertEquals(0, wire.remaining());
        server.closeOutbound();
    }

    @Test
    void clientModeIsRefused() {
        SSLEngine engine = context.createSSLEngine();
        assertThrows(UnsupportedOperationException.class, () -> engine.setUseClientMode(true));
        engine.closeOutbound();
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }
}
