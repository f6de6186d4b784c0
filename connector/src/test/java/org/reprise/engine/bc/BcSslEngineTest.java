package org.reprise.engine.bc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reprise.core.internal.ResumptionContext;
import org.reprise.core.internal.ticket.TicketSealer;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.MemorySessionStore;
import org.reprise.core.ticket.TicketKeyRing;
import org.reprise.tomcat.TestPki;

/**
 * The engine driven the way Tomcat drives it, against the JDK's client engine in memory: buffers sized
 * from the session, one record per call, data both ways, junk records, close_notify.
 */
class BcSslEngineTest {

    private final SSLEngine server;
    private final SSLEngine client;
    private final ByteBuffer toServer;
    private final ByteBuffer toClient;

    BcSslEngineTest() throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued issued = pki.server("localhost", false);
        SecureRandom random = new SecureRandom();
        ResumptionMetrics metrics = new ResumptionMetrics();
        TicketKeyRing ring = new TicketKeyRing(Duration.ofHours(1), Duration.ofHours(1), Clock.systemUTC(), random,
                key -> metrics.keyRotated());
        ResumptionContext resumption = new ResumptionContext(new MemorySessionStore(100, Clock.systemUTC()), ring,
                new TicketSealer(ring, random), metrics, Clock.systemUTC(), null, "test");
        BcServerContext context = new BcServerContext(
                new ServerIdentity(issued.keys().getPrivate(), List.of(issued.certificate())), null,
                new HostPolicy("localhost", Duration.ofHours(1), true, false, new byte[16]), resumption, random);
        server = context.newEngine();
        client = pki.clientContext().createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        toServer = ByteBuffer.allocate(server.getSession().getPacketBufferSize());
        toClient = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
    }

    private void handshake(String protocol) throws SSLException {
        client.setSSLParameters(new SSLParameters(null, new String[] {protocol}));
        client.beginHandshake();
        server.beginHandshake();
        ByteBuffer none = ByteBuffer.allocate(0);
        ByteBuffer serverApp = ByteBuffer.allocate(server.getSession().getApplicationBufferSize());
        ByteBuffer clientApp = ByteBuffer.allocate(client.getSession().getApplicationBufferSize());
        boolean serverFinished = false;
        for (int step = 0; step < 100 && !(serverFinished && client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING); step++) {
            runTasks(client);
            client.wrap(none, toServer);
            serverFinished |= pump(toServer, server, serverApp);
            serverFinished |= server.wrap(none, toClient).getHandshakeStatus() == HandshakeStatus.FINISHED;
            pump(toClient, client, clientApp);
            runTasks(client);
        }
        assertTrue(serverFinished, "the server reported FINISHED");
        assertEquals(HandshakeStatus.NOT_HANDSHAKING, server.getHandshakeStatus());
        assertEquals(protocol, server.getSession().getProtocol());
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }

    /** Feeds every whole record in {@code net} to {@code engine}; reports whether it said FINISHED. */
    private boolean pump(ByteBuffer net, SSLEngine engine, ByteBuffer app) throws SSLException {
        net.flip();
        boolean finished = false;
        while (net.hasRemaining()) {
            SSLEngineResult r = engine.unwrap(net, app);
            runTasks(engine);
            finished |= r.getHandshakeStatus() == HandshakeStatus.FINISHED;
            if (r.getStatus() == Status.BUFFER_UNDERFLOW || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                break;
            }
        }
        net.compact();
        return finished;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void carriesAMegabyteEachWayThroughBuffersOfTheAdvertisedSizes(String protocol) throws Exception {
        handshake(protocol);
        byte[] upstream = new byte[1 << 20];
        byte[] downstream = new byte[1 << 20];
        new Random(1).nextBytes(upstream);
        new Random(2).nextBytes(downstream);

        assertArrayEquals(upstream, transfer(client, server, upstream));
        assertArrayEquals(downstream, transfer(server, client, downstream));
    }

    private static byte[] transfer(SSLEngine from, SSLEngine to, byte[] data) throws SSLException {
        ByteBuffer src = ByteBuffer.wrap(data);
        ByteBuffer net = ByteBuffer.allocate(from.getSession().getPacketBufferSize());
        ByteBuffer app = ByteBuffer.allocate(to.getSession().getApplicationBufferSize());
        ByteBuffer received = ByteBuffer.allocate(data.length);
        while (src.hasRemaining()) {
            net.clear();
            SSLEngineResult wrapped = from.wrap(src, net);
            assertEquals(Status.OK, wrapped.getStatus());
            net.flip();
            while (net.hasRemaining()) {
                app.clear();
                SSLEngineResult r = to.unwrap(net, app);
                assertNotEquals(Status.BUFFER_OVERFLOW, r.getStatus(), "a record must fit the advertised buffer");
                app.flip();
                received.put(app);
            }
        }
        return received.array();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aJunkRecordOfTheLargestLengthIsRejectedNotDeferred(String protocol) throws Exception {
        handshake(protocol);
        byte[] junk = new byte[5 + 16384 + 2048];
        new Random(3).nextBytes(junk);
        junk[0] = 23;
        junk[1] = 3;
        junk[2] = 3;
        junk[3] = (byte) ((16384 + 2048) >> 8);
        junk[4] = (byte) (16384 + 2048);
        ByteBuffer app = ByteBuffer.allocate(server.getSession().getApplicationBufferSize());

        assertThrows(SSLException.class, () -> server.unwrap(ByteBuffer.wrap(junk), app),
                "an overlong or forged record ends the connection instead of asking for a bigger buffer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void closeNotifyIsAnsweredWithCloseNotify(String protocol) throws Exception {
        handshake(protocol);
        client.closeOutbound();
        ByteBuffer net = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.allocate(0), net);
        net.flip();
        server.unwrap(net, ByteBuffer.allocate(server.getSession().getApplicationBufferSize()));

        assertTrue(server.isInboundDone());
        ByteBuffer reply = ByteBuffer.allocate(server.getSession().getPacketBufferSize());
        SSLEngineResult r = server.wrap(ByteBuffer.allocate(0), reply);
        assertEquals(Status.CLOSED, r.getStatus());
        assertTrue(r.bytesProduced() > 0, "close_notify sent back");
        assertTrue(server.isOutboundDone());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void reportsNoDelegatedTasksAndNoRenegotiation(String protocol) throws Exception {
        handshake(protocol);

        assertEquals(null, server.getDelegatedTask());
        assertThrows(SSLException.class, server::beginHandshake);
    }
}
