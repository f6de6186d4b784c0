package org.reprise.engine.openssl;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * A server-side {@link SSLEngine} driving one OpenSSL {@code SSL} through two memory BIOs: {@link #unwrap}
 * writes the peer's bytes into the read BIO and runs the handshake or {@code SSL_read}; {@link #wrap} runs
 * {@code SSL_write} and hands back what OpenSSL wrote to the write BIO. A connection costs {@code SSL_new}, two
 * {@code BIO_new} and one {@link Cleaner} registration; plaintext goes through a pooled native buffer and
 * ciphertext straight between the ByteBuffers and the BIOs (critical downcalls), so no arena and no upcall
 * stub is made per connection.
 *
 * <p>The {@code SSL} is freed exactly once: when the outbound side closes (what is left to send, such as
 * close_notify or an alert, is kept in Java and handed out by the next wraps), when a handshake or record
 * fails, or, for an engine abandoned without either, by the cleaner once the engine is unreachable.
 */
final class OpenSslEngine extends SSLEngine {

    /** The largest TLS record on the wire: 5 bytes of header and 2^14 + 2048 of ciphertext (RFC 5246 6.2.3). */
    static final int PACKET_SIZE = 5 + ScratchBuffers.RECORD + 2048;
    /** The most a record adds to its plaintext: header, explicit IV, MAC or tag, padding. */
    private static final int RECORD_OVERHEAD = 256;
    /**
     * The most ciphertext the read BIO holds: two records. An unwrap takes only what fits, so a driver that hands
     * in megabytes at once (or a peer whose records are never read) cannot grow native memory past this.
     */
    static final int MAX_BUFFERED_INPUT = 2 * PACKET_SIZE;
    private static final byte[] NOTHING = new byte[0];

    private final OpenSslServerContext context;
    private final ScratchBuffers scratch;
    private final Connection connection;
    private final Cleaner.Cleanable cleanable;
    private final OpenSslSession session;

    private String[] enabledProtocols;
    private String[] enabledCipherSuites;
    private boolean needClientAuth;
    private boolean wantClientAuth;
    private String @Nullable [] applicationProtocols;

    private boolean started;
    private boolean handshakeDone;
    private boolean finishedReported;
    private boolean failed;
    private boolean inboundDone;
    private boolean outboundDone;
    private boolean closeNotifyReceived;
    /** What is left to send once the {@code SSL} is freed (close_notify or an alert). */
    private byte[] finalBytes = NOTHING;
    private int finalOffset;

    OpenSslEngine(OpenSslServerContext context) {
        this.context = context;
        this.scratch = context.scratch();
        this.connection = Connection.open(context.sslCtx(), context.liveConnectionCounter());
        this.cleanable = context.cleaner().register(this, connection);
        this.session = new OpenSslSession(context);
        this.enabledProtocols = context.enabledProtocols();
        this.enabledCipherSuites = context.enabledCipherSuites();
        int mode = context.verifyMode();
        this.needClientAuth = (mode & NativeSsl.SSL_VERIFY_FAIL_IF_NO_PEER_CERT) != 0;
        this.wantClientAuth = !needClientAuth && (mode & NativeSsl.SSL_VERIFY_PEER) != 0;
    }

    /**
     * The native half of one connection, also the cleaner's action: frees the {@code SSL} (and the BIOs it
     * owns) exactly once, whichever of the engine and the cleaner gets there first.
     */
    private static final class Connection implements Runnable {
        final MemorySegment ssl;
        final MemorySegment readBio;
        final MemorySegment writeBio;
        private final AtomicInteger live;

        private Connection(MemorySegment ssl, MemorySegment readBio, MemorySegment writeBio, AtomicInteger live) {
            this.ssl = ssl;
            this.readBio = readBio;
            this.writeBio = writeBio;
            this.live = live;
        }

        static Connection open(MemorySegment ctx, AtomicInteger live) {
            try {
                MemorySegment ssl = (MemorySegment) NativeSsl.SSL_new.invokeExact(ctx);
                if (ssl.equals(MemorySegment.NULL)) {
                    throw new IllegalStateException("SSL_new failed: " + NativeSsl.errors());
                }
                MemorySegment readBio = (MemorySegment) NativeSsl.BIO_new.invokeExact(
                        (MemorySegment) NativeSsl.BIO_s_mem.invokeExact());
                MemorySegment writeBio = (MemorySegment) NativeSsl.BIO_new.invokeExact(
                        (MemorySegment) NativeSsl.BIO_s_mem.invokeExact());
                if (readBio.equals(MemorySegment.NULL) || writeBio.equals(MemorySegment.NULL)) {
                    NativeSsl.SSL_free.invokeExact(ssl);
                    throw new IllegalStateException("BIO_new failed: " + NativeSsl.errors());
                }
                // an empty read BIO means "no data yet", not end of stream
                long unused = (long) NativeSsl.BIO_ctrl.invokeExact(readBio, NativeSsl.BIO_C_SET_BUF_MEM_EOF_RETURN,
                        -1L, MemorySegment.NULL);
                NativeSsl.SSL_set_bio.invokeExact(ssl, readBio, writeBio);
                NativeSsl.SSL_set_accept_state.invokeExact(ssl);
                live.incrementAndGet();
                return new Connection(ssl, readBio, writeBio, live);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void run() {
            try {
                NativeSsl.SSL_free.invokeExact(ssl);
            } catch (Throwable e) {
                throw new IllegalStateException("SSL_free failed", e);
            } finally {
                live.decrementAndGet();
            }
        }
    }

    private boolean alive() {
        return !failed && !outboundDone;
    }

    /** Frees the SSL after keeping what it still had to send. */
    private void release() {
        try {
            int pending = pendingOutput();
            if (pending > 0) {
                byte[] rest = new byte[pending];
                int n = (int) NativeSsl.BIO_read.invokeExact(connection.writeBio, MemorySegment.ofArray(rest), pending);
                finalBytes = n == pending ? rest : Arrays.copyOf(rest, Math.max(n, 0));
                finalOffset = 0;
            }
        } catch (Throwable e) {
            finalBytes = NOTHING;
        } finally {
            cleanable.clean();
        }
    }

    // ---- wrap: plaintext in, records out

    @Override
    public synchronized SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst)
            throws SSLException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        if (!alive()) {
            int produced = drainFinal(dst);
            return new SSLEngineResult(Status.CLOSED, status(false), 0, produced);
        }
        started = true;
        int pending = pendingOutput();
        if (pending > 0) {
            if (dst.remaining() < Math.min(pending, PACKET_SIZE)) {
                return new SSLEngineResult(Status.BUFFER_OVERFLOW, status(false), 0, 0);
            }
            int produced = drainOutput(dst);
            // the status after the drain: FINISHED once the last of the handshake is out
            return new SSLEngineResult(Status.OK, status(true), 0, produced);
        }
        if (!handshakeDone) {
            return new SSLEngineResult(Status.OK, status(true), 0, 0);
        }
        long available = 0;
        for (int i = offset; i < offset + length; i++) {
            available += srcs[i].remaining();
        }
        if (available == 0) {
            return new SSLEngineResult(Status.OK, status(true), 0, 0);
        }
        int chunk = (int) Math.min(available, ScratchBuffers.RECORD);
        if (dst.remaining() < chunk + RECORD_OVERHEAD) {
            return new SSLEngineResult(Status.BUFFER_OVERFLOW, status(false), 0, 0);
        }
        int written = write(srcs, offset, length, chunk);
        int produced = drainOutput(dst);
        return new SSLEngineResult(Status.OK, status(true), written, produced);
    }

    private int write(ByteBuffer[] srcs, int offset, int length, int chunk) throws SSLException {
        MemorySegment buffer = scratch.take();
        try {
            int gathered = 0;
            for (int i = offset; i < offset + length && gathered < chunk; i++) {
                ByteBuffer src = srcs[i];
                int n = Math.min(src.remaining(), chunk - gathered);
                MemorySegment.copy(MemorySegment.ofBuffer(src), 0, buffer, gathered, n);
                gathered += n;
            }
            NativeSsl.clearErrors();
            int written = (int) NativeSsl.SSL_write.invokeExact(connection.ssl, buffer, chunk);
            if (written <= 0) {
                SSLException failure = failure(written, "SSL_write");
                throw failure != null ? failure : new SSLException("SSL_write wrote nothing");
            }
            int left = written;
            for (int i = offset; i < offset + length && left > 0; i++) {
                ByteBuffer src = srcs[i];
                int n = Math.min(src.remaining(), left);
                src.position(src.position() + n);
                left -= n;
            }
            return written;
        } catch (SSLException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new SSLException(e);
        } finally {
            scratch.release(buffer);
        }
    }

    // ---- unwrap: records in, plaintext out

    @Override
    public synchronized SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
            throws SSLException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        long capacity = 0;
        for (int i = offset; i < offset + length; i++) {
            if (dsts[i].isReadOnly()) {
                throw new ReadOnlyBufferException();
            }
            capacity += dsts[i].remaining();
        }
        if (!alive() || inboundDone) {
            return new SSLEngineResult(Status.CLOSED, status(false), 0, 0);
        }
        started = true;
        int consumed = feed(src);
        if (!handshakeDone) {
            handshake();
            if (inboundDone) {
                return new SSLEngineResult(Status.CLOSED, status(false), consumed, 0);
            }
            if (!handshakeDone) {
                HandshakeStatus hs = status(true);
                return new SSLEngineResult(hs == HandshakeStatus.NEED_UNWRAP ? Status.BUFFER_UNDERFLOW : Status.OK, hs,
                        consumed, 0);
            }
            // the peer's application data, if any came with its Finished, is read by the next unwrap
            return new SSLEngineResult(Status.OK, status(true), consumed, 0);
        }
        if (capacity == 0) {
            boolean more = consumed > 0 || pendingInput() > 0;
            return new SSLEngineResult(more ? Status.BUFFER_OVERFLOW : Status.BUFFER_UNDERFLOW, status(false),
                    consumed, 0);
        }
        int produced = read(dsts, offset, length, capacity);
        Status result = inboundDone ? Status.CLOSED : produced == 0 ? Status.BUFFER_UNDERFLOW : Status.OK;
        return new SSLEngineResult(result, status(true), consumed, produced);
    }

    private int feed(ByteBuffer src) throws SSLException {
        int n = Math.min(src.remaining(), MAX_BUFFERED_INPUT - pendingInput());
        if (n <= 0) {
            return 0;
        }
        try {
            // the segment starts at src's position; BIO_write reads only its first n bytes
            int written = (int) NativeSsl.BIO_write.invokeExact(connection.readBio, MemorySegment.ofBuffer(src), n);
            if (written != n) {
                throw new SSLException("BIO_write took " + written + " of " + n + " bytes");
            }
        } catch (SSLException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new SSLException(e);
        }
        src.position(src.position() + n);
        return n;
    }

    private void handshake() throws SSLException {
        int result;
        try {
            NativeSsl.clearErrors();
            result = (int) NativeSsl.SSL_do_handshake.invokeExact(connection.ssl);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new SSLException(e);
        }
        if (result == 1) {
            handshakeDone = true;
            session.handshakeDone(connection.ssl, scratch);
            return;
        }
        SSLException failure = failure(result, "handshake");
        if (failure != null) {
            throw failure;
        }
    }

    private int read(ByteBuffer[] dsts, int offset, int length, long capacity) throws SSLException {
        MemorySegment buffer = scratch.take();
        int produced = 0;
        int next = offset;
        try {
            while (produced < capacity) {
                int want = (int) Math.min(capacity - produced, ScratchBuffers.RECORD);
                NativeSsl.clearErrors();
                int n = (int) NativeSsl.SSL_read.invokeExact(connection.ssl, buffer, want);
                if (n <= 0) {
                    SSLException failure = failure(n, "SSL_read");
                    if (failure == null) {
                        break;
                    }
                    throw failure;
                }
                for (int copied = 0; copied < n; ) {
                    while (!dsts[next].hasRemaining()) {
                        next++;
                    }
                    ByteBuffer dst = dsts[next];
                    int k = Math.min(dst.remaining(), n - copied);
                    MemorySegment.copy(buffer, copied, MemorySegment.ofBuffer(dst), 0, k);
                    dst.position(dst.position() + k);
                    copied += k;
                }
                produced += n;
            }
            return produced;
        } catch (SSLException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new SSLException(e);
        } finally {
            scratch.release(buffer);
        }
    }

    /**
     * What a call that returned {@code result} means. Wanting more input is not a failure (null for
     * {@code SSL_read}, nothing thrown for the handshake); the peer's close_notify closes the inbound side;
     * anything else fails the connection, frees the SSL and keeps the alert OpenSSL wrote, for the next wrap.
     */
    private @Nullable SSLException failure(int result, String operation) throws SSLException {
        int error;
        try {
            error = (int) NativeSsl.SSL_get_error.invokeExact(connection.ssl, result);
        } catch (Throwable e) {
            throw new SSLException(e);
        }
        if (error == NativeSsl.SSL_ERROR_WANT_READ || error == NativeSsl.SSL_ERROR_WANT_WRITE) {
            return null;
        }
        if (error == NativeSsl.SSL_ERROR_ZERO_RETURN) {
            closeNotifyReceived = true;
            inboundDone = true;
            return null;
        }
        String reason = NativeSsl.errors();
        failed = true;
        release();
        String message = "OpenSSL " + operation + " failed (SSL_get_error " + error + "): " + reason;
        return handshakeDone ? new SSLException(message) : new SSLHandshakeException(message);
    }

    private int pendingOutput() {
        return pending(connection.writeBio);
    }

    private int pendingInput() {
        return pending(connection.readBio);
    }

    private static int pending(MemorySegment bio) {
        try {
            return (int) (long) NativeSsl.BIO_ctrl.invokeExact(bio, NativeSsl.BIO_CTRL_PENDING, 0L, MemorySegment.NULL);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private int drainOutput(ByteBuffer dst) throws SSLException {
        int n = Math.min(pendingOutput(), dst.remaining());
        if (n == 0) {
            return 0;
        }
        try {
            int read = (int) NativeSsl.BIO_read.invokeExact(connection.writeBio, MemorySegment.ofBuffer(dst), n);
            if (read <= 0) {
                throw new SSLException("BIO_read returned " + read + " with " + n + " bytes pending");
            }
            dst.position(dst.position() + read);
            return read;
        } catch (SSLException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new SSLException(e);
        }
    }

    private int drainFinal(ByteBuffer dst) {
        int n = Math.min(finalBytes.length - finalOffset, dst.remaining());
        dst.put(finalBytes, finalOffset, n);
        finalOffset += n;
        return n;
    }

    /**
     * @param forResult whether this is the status of a wrap or unwrap result, which reports FINISHED once
     *                  (the call after which the handshake is complete and nothing of it is left to send)
     */
    private HandshakeStatus status(boolean forResult) {
        if (!alive()) {
            return finalOffset < finalBytes.length ? HandshakeStatus.NEED_WRAP : HandshakeStatus.NOT_HANDSHAKING;
        }
        if (!started) {
            return HandshakeStatus.NOT_HANDSHAKING;
        }
        if (pendingOutput() > 0) {
            return HandshakeStatus.NEED_WRAP;
        }
        if (!handshakeDone) {
            return HandshakeStatus.NEED_UNWRAP;
        }
        if (forResult && !finishedReported) {
            finishedReported = true;
            return HandshakeStatus.FINISHED;
        }
        return HandshakeStatus.NOT_HANDSHAKING;
    }

    @Override
    public synchronized HandshakeStatus getHandshakeStatus() {
        return status(false);
    }

    @Override
    public synchronized void beginHandshake() throws SSLException {
        if (!alive() || inboundDone) {
            throw new SSLException("The engine is closed");
        }
        if (handshakeDone) {
            throw new SSLException("Reprise's OpenSSL engine does not renegotiate or re-authenticate a connection");
        }
        started = true;
    }

    @Override
    public @Nullable Runnable getDelegatedTask() {
        return null;
    }

    // ---- closing

    @Override
    public synchronized void closeOutbound() {
        if (outboundDone) {
            return;
        }
        if (!failed) {
            if (handshakeDone) {
                try {
                    NativeSsl.clearErrors();
                    int unused = (int) NativeSsl.SSL_shutdown.invokeExact(connection.ssl);
                } catch (Throwable e) {
                    // the connection is going away; close_notify is a courtesy
                }
            }
            release();
        }
        outboundDone = true;
    }

    @Override
    public synchronized boolean isOutboundDone() {
        return !alive() && finalOffset >= finalBytes.length;
    }

    @Override
    public synchronized void closeInbound() throws SSLException {
        if (inboundDone) {
            return;
        }
        inboundDone = true;
        if (handshakeDone && !failed && !closeNotifyReceived) {
            throw new SSLException("Inbound closed before the peer's close_notify: the data may have been truncated");
        }
    }

    @Override
    public synchronized boolean isInboundDone() {
        return inboundDone || !alive();
    }

    // ---- session and parameters

    @Override
    public SSLSession getSession() {
        return session;
    }

    @Override
    public synchronized @Nullable SSLSession getHandshakeSession() {
        return started && !handshakeDone ? session : null;
    }

    @Override
    public synchronized @Nullable String getApplicationProtocol() {
        return handshakeDone ? session.applicationProtocol() : null;
    }

    @Override
    public @Nullable String getHandshakeApplicationProtocol() {
        return null;
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return OpenSslResumptionUtil.IMPLEMENTED_CIPHERS.toArray(new String[0]);
    }

    @Override
    public synchronized String[] getEnabledCipherSuites() {
        return enabledCipherSuites.clone();
    }

    /**
     * Tomcat sets the host's cipher suites on every engine; they are the context's already, so this costs
     * nothing then. Another list is applied to this connection's {@code SSL} alone.
     */
    @Override
    public synchronized void setEnabledCipherSuites(String[] suites) {
        if (Arrays.equals(suites, enabledCipherSuites)) {
            return;
        }
        if (!alive() || started) {
            throw new IllegalStateException("cipher suites can only be set before the handshake");
        }
        StringBuilder tls12 = new StringBuilder();
        StringBuilder tls13 = new StringBuilder();
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            for (String suite : suites) {
                if (suite.startsWith("TLS_") && !suite.contains("_WITH_")) {
                    tls13.append(tls13.isEmpty() ? "" : ":").append(suite);
                } else {
                    String name = NativeSsl.string((MemorySegment) NativeSsl.OPENSSL_cipher_name.invokeExact(
                            arena.allocateFrom(suite)));
                    if (name != null && !name.equals("(NONE)")) {
                        tls12.append(tls12.isEmpty() ? "" : ":").append(name);
                    }
                }
            }
            int ok = (int) NativeSsl.SSL_set_cipher_list.invokeExact(connection.ssl,
                    arena.allocateFrom(tls12.isEmpty() ? "-ALL" : tls12.toString()));
            ok &= (int) NativeSsl.SSL_set_ciphersuites.invokeExact(connection.ssl, arena.allocateFrom(tls13.toString()));
            if (ok != 1 && tls12.isEmpty() == tls13.isEmpty()) {
                throw new IllegalArgumentException("OpenSSL refused the cipher suites " + Arrays.toString(suites)
                        + ": " + NativeSsl.errors());
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        enabledCipherSuites = suites.clone();
    }

    @Override
    public String[] getSupportedProtocols() {
        return OpenSslResumptionUtil.IMPLEMENTED_PROTOCOLS.toArray(new String[0]);
    }

    @Override
    public synchronized String[] getEnabledProtocols() {
        return enabledProtocols.clone();
    }

    @Override
    public synchronized void setEnabledProtocols(String[] protocols) {
        int min = OpenSslServerContext.versionBound(protocols, true);
        int max = OpenSslServerContext.versionBound(protocols, false);
        if (min != context.minVersion() || max != context.maxVersion()) {
            if (!alive() || started) {
                throw new IllegalStateException("protocols can only be set before the handshake");
            }
            try {
                long unused = (long) NativeSsl.SSL_ctrl.invokeExact(connection.ssl,
                        NativeSsl.SSL_CTRL_SET_MIN_PROTO_VERSION, (long) min, MemorySegment.NULL);
                unused = (long) NativeSsl.SSL_ctrl.invokeExact(connection.ssl, NativeSsl.SSL_CTRL_SET_MAX_PROTO_VERSION,
                        (long) max, MemorySegment.NULL);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
        enabledProtocols = protocols.clone();
    }

    @Override
    public void setUseClientMode(boolean clientMode) {
        if (clientMode) {
            throw new UnsupportedOperationException("Reprise's OpenSSL engine is a TLS server only; it has no client mode");
        }
    }

    @Override
    public boolean getUseClientMode() {
        return false;
    }

    @Override
    public synchronized void setNeedClientAuth(boolean need) {
        needClientAuth = need;
        wantClientAuth = false;
        applyClientAuth();
    }

    @Override
    public synchronized boolean getNeedClientAuth() {
        return needClientAuth;
    }

    @Override
    public synchronized void setWantClientAuth(boolean want) {
        wantClientAuth = want;
        needClientAuth = false;
        applyClientAuth();
    }

    @Override
    public synchronized boolean getWantClientAuth() {
        return wantClientAuth;
    }

    /** Client authentication for this connection: left to the context's setting unless it differs. */
    private void applyClientAuth() {
        int mode = needClientAuth ? NativeSsl.SSL_VERIFY_PEER | NativeSsl.SSL_VERIFY_FAIL_IF_NO_PEER_CERT
                : wantClientAuth ? NativeSsl.SSL_VERIFY_PEER : NativeSsl.SSL_VERIFY_NONE;
        if (mode == context.verifyMode() || !alive()) {
            return;
        }
        if (started) {
            throw new IllegalStateException("client authentication can only be set before the handshake");
        }
        try {
            NativeSsl.SSL_set_verify.invokeExact(connection.ssl, mode, MemorySegment.NULL);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        if (!flag) {
            throw new UnsupportedOperationException("Reprise's OpenSSL engine always creates sessions");
        }
    }

    @Override
    public boolean getEnableSessionCreation() {
        return true;
    }

    @Override
    public synchronized SSLParameters getSSLParameters() {
        SSLParameters parameters = new SSLParameters(getEnabledCipherSuites(), getEnabledProtocols());
        if (needClientAuth) {
            parameters.setNeedClientAuth(true);
        } else {
            parameters.setWantClientAuth(wantClientAuth);
        }
        if (applicationProtocols != null) {
            parameters.setApplicationProtocols(applicationProtocols);
        }
        return parameters;
    }

    /**
     * Cipher suites, protocols and client authentication as for JSSE. Application protocols are remembered
     * only: OpenSSL picks one with the context's callback, from the same list Tomcat passes here. Cipher
     * order and groups stay the context's (the host's {@code honorCipherOrder} and {@code groups}).
     */
    @Override
    public synchronized void setSSLParameters(SSLParameters parameters) {
        if (parameters.getCipherSuites() != null) {
            setEnabledCipherSuites(parameters.getCipherSuites());
        }
        if (parameters.getProtocols() != null) {
            setEnabledProtocols(parameters.getProtocols());
        }
        if (parameters.getNeedClientAuth()) {
            setNeedClientAuth(true);
        } else {
            setWantClientAuth(parameters.getWantClientAuth());
        }
        String[] protocols = parameters.getApplicationProtocols();
        applicationProtocols = protocols.length == 0 ? null : List.of(protocols).toArray(new String[0]);
    }
}
