package org.reprise.engine.bc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.RecordPreview;
import org.bouncycastle.tls.TlsServerProtocol;
import org.jspecify.annotations.Nullable;

/**
 * A server-mode {@link SSLEngine} over Bouncy Castle's non-blocking {@link TlsServerProtocol}.
 *
 * <p>Records go through one at a time: {@code unwrap} hands the protocol exactly one whole record and
 * returns the plaintext it yields; {@code wrap} drains pending handshake output, or seals at most one
 * record of application data. No delegated tasks: handshake work runs inside {@code wrap}/{@code unwrap}.
 * Like every {@code SSLEngine}, an instance serves one connection; its methods are synchronized because
 * Tomcat may read and write a connection from different threads.
 */
final class BcSslEngine extends SSLEngine {

    private static final int RECORD_HEADER_LENGTH = 5;
    private static final int MAX_PLAINTEXT = 1 << 14;

    private final BcServerContext context;

    private List<String> enabledCipherSuites;
    private List<String> enabledProtocols = BcServerContext.SUPPORTED_PROTOCOLS;
    private List<String> applicationProtocols = List.of();
    private boolean preferServerOrder;
    private boolean needClientAuth;
    private boolean wantClientAuth;

    private @Nullable TlsServerProtocol protocol;
    private @Nullable ResumingTlsServer server;
    private @Nullable SSLException deferredFailure;
    private boolean finishedReported;
    private boolean closedBeforeHandshake;
    private BcSslSession session;

    /** Tomcat makes engines without the peer's address, so this one, like its sessions, reports none. */
    BcSslEngine(BcServerContext context) {
        this.context = context;
        this.enabledCipherSuites = context.supportedCipherSuites();
        this.session = BcSslSession.none();
    }

    // ---- configuration

    @Override
    public synchronized String[] getSupportedCipherSuites() {
        return context.supportedCipherSuites().toArray(String[]::new);
    }

    @Override
    public synchronized String[] getEnabledCipherSuites() {
        return enabledCipherSuites.toArray(String[]::new);
    }

    /** Keeps the suites this engine implements for its key, in the order given; ignores the rest. */
    @Override
    public synchronized void setEnabledCipherSuites(String[] suites) {
        List<String> supported = context.supportedCipherSuites();
        List<String> enabled = new ArrayList<>();
        for (String suite : suites) {
            if (supported.contains(suite) && !enabled.contains(suite)) {
                enabled.add(suite);
            }
        }
        enabledCipherSuites = List.copyOf(enabled);
    }

    @Override
    public synchronized String[] getSupportedProtocols() {
        return BcServerContext.SUPPORTED_PROTOCOLS.toArray(String[]::new);
    }

    @Override
    public synchronized String[] getEnabledProtocols() {
        return enabledProtocols.toArray(String[]::new);
    }

    @Override
    public synchronized void setEnabledProtocols(String[] protocols) {
        for (String p : protocols) {
            if (!BcServerContext.SUPPORTED_PROTOCOLS.contains(p)) {
                throw new IllegalArgumentException("Protocol not supported by the Reprise engine: " + p);
            }
        }
        enabledProtocols = List.of(protocols);
    }

    @Override
    public synchronized void setUseClientMode(boolean mode) {
        if (mode) {
            throw new IllegalArgumentException("The Reprise engine only acts as a server");
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
    }

    @Override
    public synchronized boolean getNeedClientAuth() {
        return needClientAuth;
    }

    @Override
    public synchronized void setWantClientAuth(boolean want) {
        wantClientAuth = want;
        needClientAuth = false;
    }

    @Override
    public synchronized boolean getWantClientAuth() {
        return wantClientAuth;
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        if (!flag) {
            throw new IllegalArgumentException("The Reprise engine always creates sessions");
        }
    }

    @Override
    public boolean getEnableSessionCreation() {
        return true;
    }

    @Override
    public synchronized SSLParameters getSSLParameters() {
        SSLParameters parameters = new SSLParameters(getEnabledCipherSuites(), getEnabledProtocols());
        parameters.setNeedClientAuth(needClientAuth);
        if (!needClientAuth) {
            parameters.setWantClientAuth(wantClientAuth);
        }
        parameters.setUseCipherSuitesOrder(preferServerOrder);
        parameters.setApplicationProtocols(applicationProtocols.toArray(String[]::new));
        return parameters;
    }

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
        preferServerOrder = parameters.getUseCipherSuitesOrder();
        applicationProtocols = List.of(parameters.getApplicationProtocols());
    }

    // ---- handshake

    @Override
    public synchronized void beginHandshake() throws SSLException {
        if (closedBeforeHandshake) {
            throw new SSLException("The engine was closed before the handshake began");
        }
        if (protocol != null) {
            throw new SSLException("Renegotiation is not supported by the Reprise engine");
        }
        if (enabledCipherSuites.isEmpty() || enabledProtocols.isEmpty()) {
            throw new SSLHandshakeException("No cipher suite or protocol is enabled");
        }
        EngineOptions options = new EngineOptions(enabledProtocols, enabledCipherSuites, preferServerOrder,
                applicationProtocols, needClientAuth, wantClientAuth);
        ResumingTlsServer tlsServer = new ResumingTlsServer(context, options);
        TlsServerProtocol tlsProtocol = new TlsServerProtocol();
        try {
            tlsProtocol.accept(tlsServer);
        } catch (IOException e) {
            throw new SSLHandshakeException("Cannot start the handshake: " + e.getMessage());
        }
        protocol = tlsProtocol;
        server = tlsServer;
    }

    @Override
    public synchronized HandshakeStatus getHandshakeStatus() {
        TlsServerProtocol p = protocol;
        if (p == null) {
            return HandshakeStatus.NOT_HANDSHAKING;
        }
        if (deferredFailure != null || p.getAvailableOutputBytes() > 0) {
            return HandshakeStatus.NEED_WRAP;
        }
        return p.isHandshaking() ? HandshakeStatus.NEED_UNWRAP : HandshakeStatus.NOT_HANDSHAKING;
    }

    @Override
    public @Nullable Runnable getDelegatedTask() {
        return null;
    }

    @Override
    public synchronized SSLSession getSession() {
        return session;
    }

    @Override
    public synchronized @Nullable SSLSession getHandshakeSession() {
        return protocol != null && protocol.isHandshaking() ? session : null;
    }

    @Override
    public synchronized @Nullable String getApplicationProtocol() {
        if (protocol == null || protocol.isHandshaking()) {
            return null;
        }
        ProtocolName name = server == null ? null : server.negotiatedApplicationProtocol();
        return name == null ? "" : name.getUtf8Decoding();
    }

    @Override
    public synchronized @Nullable String getHandshakeApplicationProtocol() {
        ProtocolName name = server == null ? null : server.negotiatedApplicationProtocol();
        return name == null ? null : name.getUtf8Decoding();
    }

    // ---- data

    @Override
    public synchronized SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length)
            throws SSLException {
        if (protocol == null && !closedBeforeHandshake) {
            beginHandshake();
        }
        HandshakeStatus before = getHandshakeStatus();
        if (isInboundDone()) {
            return new SSLEngineResult(Status.CLOSED, before, 0, 0);
        }
        TlsServerProtocol p = protocol;
        if (p == null || before == HandshakeStatus.NEED_WRAP) {
            return new SSLEngineResult(Status.OK, before, 0, 0);
        }
        if (p.getAvailableInputBytes() > 0) {
            int produced = drainInput(p, dsts, offset, length);
            return new SSLEngineResult(produced == 0 ? Status.BUFFER_OVERFLOW : status(), afterStep(), 0, produced);
        }
        if (src.remaining() < RECORD_HEADER_LENGTH) {
            return new SSLEngineResult(Status.BUFFER_UNDERFLOW, before, 0, 0);
        }
        int consumed = 0;
        try {
            byte[] header = new byte[RECORD_HEADER_LENGTH];
            src.get(src.position(), header);
            RecordPreview preview = p.previewInputRecord(header);
            if (src.remaining() < preview.getRecordSize()) {
                return new SSLEngineResult(Status.BUFFER_UNDERFLOW, before, 0, 0);
            }
            // Bouncy Castle's limit is an upper bound from the record's length; no valid record holds more than
            // 2^14 bytes of plaintext, so asking for more room could stall Tomcat's read loop forever.
            if (remaining(dsts, offset, length) < Math.min(preview.getContentLimit(), MAX_PLAINTEXT)) {
                return new SSLEngineResult(Status.BUFFER_OVERFLOW, before, 0, 0);
            }
            byte[] record = new byte[preview.getRecordSize()];
            src.get(record);
            consumed = record.length;
            p.offerInput(record);
        } catch (IOException | RuntimeException e) {
            return failDuringUnwrap(e, consumed, before);
        }
        return new SSLEngineResult(status(), afterStep(), consumed, drainInput(p, dsts, offset, length));
    }

    /** Moves decrypted application data into the caller's buffers; what does not fit waits for the next call. */
    private static int drainInput(TlsServerProtocol p, ByteBuffer[] dsts, int offset, int length) {
        int produced = 0;
        int available = p.getAvailableInputBytes();
        for (int i = offset; available > 0 && i < offset + length; i++) {
            int n = Math.min(dsts[i].remaining(), available);
            if (n > 0) {
                p.readInput(dsts[i], n);
                produced += n;
                available -= n;
            }
        }
        return produced;
    }

    /**
     * A bad record or a refused handshake. Bouncy Castle has queued an alert; during the handshake the
     * failure is reported from the next {@code wrap}, after that alert went out, because Tomcat's
     * handshake loop wraps again after a failed unwrap only if asked to.
     */
    private SSLEngineResult failDuringUnwrap(Exception e, int consumed, HandshakeStatus before) throws SSLException {
        SSLException failure = before == HandshakeStatus.NOT_HANDSHAKING
                ? new SSLException("TLS record rejected: " + e.getMessage())
                : new SSLHandshakeException("TLS handshake failed: " + e.getMessage());
        if (before != HandshakeStatus.NEED_UNWRAP) {
            throw failure;
        }
        deferredFailure = failure;
        return new SSLEngineResult(Status.OK, HandshakeStatus.NEED_WRAP, consumed, 0);
    }

    @Override
    public synchronized SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst)
            throws SSLException {
        if (protocol == null && !closedBeforeHandshake) {
            beginHandshake();
        }
        TlsServerProtocol p = protocol;
        if (p == null) {
            return new SSLEngineResult(Status.CLOSED, HandshakeStatus.NOT_HANDSHAKING, 0, 0);
        }
        int pending = p.getAvailableOutputBytes();
        if (pending > 0) {
            int produced = pending;
            if (dst.remaining() < pending) {
                produced = p.previewOutputRecord();
                if (dst.remaining() < produced) {
                    return new SSLEngineResult(Status.BUFFER_OVERFLOW, HandshakeStatus.NEED_WRAP, 0, 0);
                }
            }
            p.readOutput(dst, produced);
            if (p.getAvailableOutputBytes() > 0 || deferredFailure != null) {
                // A pending failure is thrown by the next wrap, once this one's alert is on its way: Tomcat
                // discards the output of a wrap that throws.
                return new SSLEngineResult(Status.OK, HandshakeStatus.NEED_WRAP, 0, produced);
            }
            return new SSLEngineResult(status(), afterStep(), 0, produced);
        }
        throwDeferredFailure();
        if (!p.isConnected() || p.isHandshaking()) {
            return new SSLEngineResult(status(), getHandshakeStatus(), 0, 0);
        }
        return wrapApplicationData(p, srcs, offset, length, dst);
    }

    private SSLEngineResult wrapApplicationData(TlsServerProtocol p, ByteBuffer[] srcs, int offset, int length,
            ByteBuffer dst) throws SSLException {
        int available = (int) Math.min(remaining(srcs, offset, length), p.getApplicationDataLimit());
        if (available == 0) {
            return new SSLEngineResult(status(), HandshakeStatus.NOT_HANDSHAKING, 0, 0);
        }
        try {
            RecordPreview preview = p.previewOutputRecord(available);
            if (dst.remaining() < preview.getRecordSize()) {
                return new SSLEngineResult(Status.BUFFER_OVERFLOW, HandshakeStatus.NOT_HANDSHAKING, 0, 0);
            }
            int take = preview.getContentLimit();
            byte[] plaintext = new byte[take];
            int copied = 0;
            for (int i = offset; copied < take && i < offset + length; i++) {
                int n = Math.min(srcs[i].remaining(), take - copied);
                srcs[i].get(plaintext, copied, n);
                copied += n;
            }
            p.writeApplicationData(plaintext, 0, copied);
            int produced = p.getAvailableOutputBytes();
            p.readOutput(dst, produced);
            return new SSLEngineResult(status(), HandshakeStatus.NOT_HANDSHAKING, copied, produced);
        } catch (IOException e) {
            throw new SSLException("Cannot write application data: " + e.getMessage(), e);
        }
    }

    private void throwDeferredFailure() throws SSLException {
        SSLException failure = deferredFailure;
        if (failure != null) {
            deferredFailure = null;
            throw failure;
        }
    }

    /** The handshake status after a step, reporting FINISHED exactly once when the handshake completes. */
    private HandshakeStatus afterStep() {
        HandshakeStatus status = getHandshakeStatus();
        if (status == HandshakeStatus.NOT_HANDSHAKING && !finishedReported && server != null
                && server.completedSession() != null) {
            finishedReported = true;
            session = server.completedSession();
            return HandshakeStatus.FINISHED;
        }
        return status;
    }

    private Status status() {
        return protocol != null && protocol.isClosed() ? Status.CLOSED : Status.OK;
    }

    private static long remaining(ByteBuffer[] buffers, int offset, int length) {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += buffers[i].remaining();
        }
        return total;
    }

    // ---- closing

    @Override
    public synchronized void closeInbound() {
        if (protocol == null) {
            closedBeforeHandshake = true;
            return;
        }
        try {
            protocol.closeInput();
        } catch (IOException e) {
            // The peer went away without close_notify; the connection is over either way.
        }
    }

    @Override
    public synchronized boolean isInboundDone() {
        return closedBeforeHandshake || (protocol != null && protocol.isClosed());
    }

    @Override
    public synchronized void closeOutbound() {
        if (protocol == null) {
            closedBeforeHandshake = true;
            return;
        }
        try {
            protocol.close();
        } catch (IOException e) {
            // Closing only queues close_notify; a failure means the connection is already gone.
        }
    }

    @Override
    public synchronized boolean isOutboundDone() {
        return closedBeforeHandshake
                || (protocol != null && protocol.isClosed() && protocol.getAvailableOutputBytes() == 0);
    }

    @Override
    public String toString() {
        return "BcSslEngine[host=" + context.policy().hostConfig() + ", protocols=" + enabledProtocols
                + ", suites=" + Arrays.toString(getEnabledCipherSuites()) + "]";
    }
}
