package org.reprise.engine.openssl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.ByteArrayInputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionBindingEvent;
import javax.net.ssl.SSLSessionBindingListener;
import javax.net.ssl.SSLSessionContext;
import org.jspecify.annotations.Nullable;
import org.reprise.tomcat.ResumptionAware;

/**
 * The session of one {@link OpenSslEngine}, as Tomcat and a servlet see it. What it reports is read from the
 * {@code SSL} once, when the handshake completes, so it stays readable after the connection closed and the
 * {@code SSL} was freed. Cipher suites are named as JSSE and IANA name them (OpenSSL's standard names).
 */
final class OpenSslSession implements SSLSession, ResumptionAware {

    private static final String NO_CIPHER = "SSL_NULL_WITH_NULL_NULL";

    /** What the handshake established; one immutable value, published when the handshake completes. */
    private record Facts(byte[] id, String protocol, String cipherSuite, long creationTime, boolean resumed,
            String applicationProtocol, List<byte[]> peerChain) {
    }

    private static final Facts NONE = new Facts(new byte[0], "NONE", NO_CIPHER, 0, false, "", List.of());

    private final OpenSslServerContext context;
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private volatile Facts facts = NONE;
    private volatile Certificate @Nullable [] peerCertificates;
    private volatile boolean valid = true;

    OpenSslSession(OpenSslServerContext context) {
        this.context = context;
    }

    /** Reads what the completed handshake on {@code ssl} established. */
    void handshakeDone(MemorySegment ssl, ScratchBuffers scratch) {
        MemorySegment buffer = scratch.take();
        try {
            MemorySegment out = buffer.asSlice(ScratchBuffers.RECORD, ScratchBuffers.SLOTS);
            String protocol = NativeSsl.string((MemorySegment) NativeSsl.SSL_get_version.invokeExact(ssl));
            MemorySegment cipher = (MemorySegment) NativeSsl.SSL_get_current_cipher.invokeExact(ssl);
            String suite = cipher.equals(MemorySegment.NULL) ? null
                    : NativeSsl.string((MemorySegment) NativeSsl.SSL_CIPHER_standard_name.invokeExact(cipher));
            MemorySegment session = (MemorySegment) NativeSsl.SSL_get_session.invokeExact(ssl);
            byte[] id = new byte[0];
            long created = 0;
            if (!session.equals(MemorySegment.NULL)) {
                MemorySegment idBytes = (MemorySegment) NativeSsl.SSL_SESSION_get_id.invokeExact(session, out);
                id = idBytes.reinterpret(Integer.toUnsignedLong(out.get(JAVA_INT, 0))).toArray(JAVA_BYTE);
                created = (long) NativeSsl.SSL_SESSION_get_time.invokeExact(session) * 1000;
            }
            boolean resumed = (int) NativeSsl.SSL_session_reused.invokeExact(ssl) == 1;
            out.fill((byte) 0);
            NativeSsl.SSL_get0_alpn_selected.invokeExact(ssl, out, out.asSlice(ADDRESS.byteSize()));
            MemorySegment alpn = out.get(ADDRESS, 0);
            int alpnLength = out.get(JAVA_INT, ADDRESS.byteSize());
            String applicationProtocol = alpn.equals(MemorySegment.NULL) || alpnLength == 0 ? ""
                    : new String(alpn.reinterpret(alpnLength).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
            facts = new Facts(id, protocol != null ? protocol : "NONE", suite != null ? suite : NO_CIPHER, created,
                    resumed, applicationProtocol, peerChain(ssl, out));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        } finally {
            scratch.release(buffer);
        }
    }

    /** The client's certificate and the chain it sent after it, DER-encoded; empty without one. */
    private static List<byte[]> peerChain(MemorySegment ssl, MemorySegment out) throws Throwable {
        MemorySegment leaf = (MemorySegment) NativeSsl.SSL_get1_peer_certificate.invokeExact(ssl);
        if (leaf.equals(MemorySegment.NULL)) {
            return List.of();
        }
        List<byte[]> chain = new ArrayList<>();
        try {
            chain.add(der(leaf, out));
        } finally {
            NativeSsl.X509_free.invokeExact(leaf);
        }
        // on a server the stack holds what followed the client's certificate (not the certificate itself)
        MemorySegment stack = (MemorySegment) NativeSsl.SSL_get_peer_cert_chain.invokeExact(ssl);
        int n = stack.equals(MemorySegment.NULL) ? 0 : (int) NativeSsl.OPENSSL_sk_num.invokeExact(stack);
        for (int i = 0; i < n; i++) {
            byte[] next = der((MemorySegment) NativeSsl.OPENSSL_sk_value.invokeExact(stack, i), out);
            if (!java.util.Arrays.equals(next, chain.getFirst())) {
                chain.add(next);
            }
        }
        return List.copyOf(chain);
    }

    private static byte[] der(MemorySegment x509, MemorySegment out) throws Throwable {
        out.set(ADDRESS, 0, MemorySegment.NULL);
        int length = (int) NativeSsl.i2d_X509.invokeExact(x509, out);
        if (length <= 0) {
            throw new IllegalStateException("i2d_X509 failed: " + NativeSsl.errors());
        }
        MemorySegment encoded = out.get(ADDRESS, 0);
        byte[] bytes = encoded.reinterpret(length).toArray(JAVA_BYTE);
        NativeSsl.CRYPTO_free.invokeExact(encoded, MemorySegment.NULL, 0);
        return bytes;
    }

    /** @return the ALPN protocol chosen, or "" when none was */
    String applicationProtocol() {
        return facts.applicationProtocol();
    }

    @Override
    public boolean isResumed() {
        return facts.resumed();
    }

    @Override
    public byte[] getId() {
        return facts.id().clone();
    }

    @Override
    public SSLSessionContext getSessionContext() {
        return context.sessionContext();
    }

    @Override
    public long getCreationTime() {
        return facts.creationTime();
    }

    @Override
    public long getLastAccessedTime() {
        return facts.creationTime();
    }

    @Override
    public void invalidate() {
        valid = false;
    }

    @Override
    public boolean isValid() {
        return valid && facts != NONE;
    }

    @Override
    public void putValue(String name, Object value) {
        Object old = values.put(name, value);
        if (value instanceof SSLSessionBindingListener listener) {
            listener.valueBound(new SSLSessionBindingEvent(this, name));
        }
        if (old instanceof SSLSessionBindingListener listener && old != value) {
            listener.valueUnbound(new SSLSessionBindingEvent(this, name));
        }
    }

    @Override
    public @Nullable Object getValue(String name) {
        return values.get(name);
    }

    @Override
    public void removeValue(String name) {
        Object old = values.remove(name);
        if (old instanceof SSLSessionBindingListener listener) {
            listener.valueUnbound(new SSLSessionBindingEvent(this, name));
        }
    }

    @Override
    public String[] getValueNames() {
        return values.keySet().toArray(new String[0]);
    }

    @Override
    public Certificate[] getPeerCertificates() throws SSLPeerUnverifiedException {
        Certificate[] parsed = peerCertificates;
        if (parsed == null) {
            List<byte[]> chain = facts.peerChain();
            if (chain.isEmpty()) {
                throw new SSLPeerUnverifiedException("the client sent no certificate");
            }
            try {
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                parsed = new Certificate[chain.size()];
                for (int i = 0; i < parsed.length; i++) {
                    parsed[i] = factory.generateCertificate(new ByteArrayInputStream(chain.get(i)));
                }
            } catch (CertificateException e) {
                SSLPeerUnverifiedException unreadable = new SSLPeerUnverifiedException(
                        "the client's certificate cannot be read");
                unreadable.initCause(e);
                throw unreadable;
            }
            peerCertificates = parsed;
        }
        return parsed.clone();
    }

    @Override
    public Certificate[] getLocalCertificates() {
        return context.chain().clone();
    }

    @Override
    public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
        return ((X509Certificate) getPeerCertificates()[0]).getSubjectX500Principal();
    }

    @Override
    public @Nullable Principal getLocalPrincipal() {
        X509Certificate[] chain = context.chain();
        return chain.length == 0 ? null : chain[0].getSubjectX500Principal();
    }

    @Override
    public String getCipherSuite() {
        return facts.cipherSuite();
    }

    @Override
    public String getProtocol() {
        return facts.protocol();
    }

    /** Tomcat makes engines without the peer's address, so it is unknown, as JSSE reports it then. */
    @Override
    public @Nullable String getPeerHost() {
        return null;
    }

    @Override
    public int getPeerPort() {
        return -1;
    }

    @Override
    public int getPacketBufferSize() {
        return OpenSslEngine.PACKET_SIZE;
    }

    @Override
    public int getApplicationBufferSize() {
        return ScratchBuffers.RECORD;
    }
}
