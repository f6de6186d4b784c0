package org.reprise.engine.bc;

import java.security.Principal;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import org.bouncycastle.tls.SecurityParameters;
import org.jspecify.annotations.Nullable;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionStore;
import org.reprise.tomcat.ResumptionAware;

/**
 * The {@link SSLSession} an engine reports: what Tomcat turns into the request attributes
 * {@code ssl_session_id}, {@code cipher_suite}, {@code key_size} and {@code X509Certificate}. Also says
 * whether this connection's handshake resumed.
 */
final class BcSslSession implements SSLSession, ResumptionAware {

    /** Big enough for the largest TLS 1.2 record: header, 2^14 bytes of data and 2048 of expansion. */
    static final int PACKET_BUFFER_SIZE = 5 + (1 << 14) + 2048;
    /**
     * Room for the plaintext of one record from a conforming peer (2^14 bytes, plus what TLS 1.3 may add);
     * kept below Tomcat's default buffer so that Tomcat does not grow its buffers for every connection.
     */
    static final int APPLICATION_BUFFER_SIZE = (1 << 14) + 256;

    private static final X509Certificate[] NONE = new X509Certificate[0];

    private final byte[] id;
    private final String protocol;
    private final String cipherSuite;
    private final boolean resumed;
    private final X509Certificate[] peerChain;
    private final X509Certificate[] localChain;
    private final long creationTime;
    private final @Nullable SessionStore store;
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private volatile boolean valid;

    private BcSslSession(byte[] id, String protocol, String cipherSuite, boolean resumed, X509Certificate[] peerChain,
            X509Certificate[] localChain, long creationTime, @Nullable SessionStore store, boolean valid) {
        this.id = id;
        this.protocol = protocol;
        this.cipherSuite = cipherSuite;
        this.resumed = resumed;
        this.peerChain = peerChain;
        this.localChain = localChain;
        this.creationTime = creationTime;
        this.store = store;
        this.valid = valid;
    }

    /** The session an engine reports before its handshake completes, as JSSE does. */
    static BcSslSession none() {
        return new BcSslSession(new byte[0], "NONE", "SSL_NULL_WITH_NULL_NULL", false, NONE, NONE,
                System.currentTimeMillis(), null, false);
    }

    /**
     * The session of a completed handshake.
     *
     * @param idChosenByClient whether the handshake's session ID is one the client chose rather than one the
     *                         server made and the client proved it owns: a ticket resumption echoes whatever ID
     *                         came with the ticket. Such a session reports a fresh ID, and invalidating it removes
     *                         nothing from the store (its ticket cannot be revoked there anyway).
     */
    static BcSslSession completed(SecurityParameters params, String protocol, boolean resumed,
            boolean idChosenByClient, X509Certificate[] peerChain, X509Certificate[] localChain, Instant now,
            SessionStore store, SecureRandom random) {
        byte[] id = params.getSessionID();
        boolean resumable = id.length > 0 && !idChosenByClient;
        if (!resumable) {
            // TLS 1.3 sessions have no ID on this engine, and a ticket resumption's ID is the client's; report a
            // random one, as JSSE does, so that Tomcat's ssl_session_id still tells connections apart.
            id = new byte[32];
            random.nextBytes(id);
        }
        String suite = CipherSuites.name(params.getCipherSuite());
        return new BcSslSession(id, protocol, suite == null ? "UNKNOWN" : suite, resumed, peerChain, localChain,
                now.toEpochMilli(), resumable ? store : null, true);
    }

    @Override
    public boolean isResumed() {
        return resumed;
    }

    @Override
    public byte[] getId() {
        return id.clone();
    }

    @Override
    public @Nullable SSLSessionContext getSessionContext() {
        return null;
    }

    @Override
    public long getCreationTime() {
        return creationTime;
    }

    @Override
    public long getLastAccessedTime() {
        return creationTime;
    }

    /** Forgets the session in the store too, so that it is never resumed again. */
    @Override
    public void invalidate() {
        valid = false;
        if (store != null) {
            try {
                store.remove(SessionId.of(id));
            } catch (RuntimeException e) {
                // The session stays resumable until it expires; nothing else can be done from here.
            }
        }
    }

    @Override
    public boolean isValid() {
        return valid;
    }

    @Override
    public void putValue(String name, Object value) {
        values.put(name, value);
    }

    @Override
    public @Nullable Object getValue(String name) {
        return values.get(name);
    }

    @Override
    public void removeValue(String name) {
        values.remove(name);
    }

    @Override
    public String[] getValueNames() {
        return values.keySet().toArray(String[]::new);
    }

    @Override
    public Certificate[] getPeerCertificates() throws SSLPeerUnverifiedException {
        if (peerChain.length == 0) {
            throw new SSLPeerUnverifiedException("The client sent no certificate");
        }
        return peerChain.clone();
    }

    @Override
    public Certificate @Nullable [] getLocalCertificates() {
        return localChain.length == 0 ? null : localChain.clone();
    }

    @Override
    @SuppressWarnings("removal")
    public javax.security.cert.X509Certificate[] getPeerCertificateChain() {
        throw new UnsupportedOperationException("Use getPeerCertificates()");
    }

    @Override
    public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
        if (peerChain.length == 0) {
            throw new SSLPeerUnverifiedException("The client sent no certificate");
        }
        return peerChain[0].getSubjectX500Principal();
    }

    @Override
    public @Nullable Principal getLocalPrincipal() {
        return localChain.length == 0 ? null : localChain[0].getSubjectX500Principal();
    }

    @Override
    public String getCipherSuite() {
        return cipherSuite;
    }

    @Override
    public String getProtocol() {
        return protocol;
    }

    /** @return null: Tomcat makes its engines without the peer's address, which JSSE then reports as unknown */
    @Override
    public @Nullable String getPeerHost() {
        return null;
    }

    /** @return -1: the peer's port is unknown, as for {@link #getPeerHost()} */
    @Override
    public int getPeerPort() {
        return -1;
    }

    @Override
    public int getPacketBufferSize() {
        return PACKET_BUFFER_SIZE;
    }

    @Override
    public int getApplicationBufferSize() {
        return APPLICATION_BUFFER_SIZE;
    }
}
