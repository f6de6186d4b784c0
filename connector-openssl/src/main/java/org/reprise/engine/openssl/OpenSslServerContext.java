package org.reprise.engine.openssl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.security.KeyManagementException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.net.SSLContext;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLUtilBase;
import org.jspecify.annotations.Nullable;
import org.reprise.tomcat.ClientAuthPolicy;
import org.reprise.tomcat.ConnectorBinding;
import org.reprise.tomcat.SessionMode;

/**
 * One OpenSSL {@code SSL_CTX} for one certificate of one SSLHostConfig, configured from what Tomcat loaded
 * (keys, chain, trust anchors, protocols, ciphers, ALPN, client certificates), with Reprise's session and
 * ticket key callbacks installed; makes an {@link OpenSslEngine} per connection. Client certificates are
 * verified natively against the trust anchors; the only upcalls are Reprise's callbacks and the ALPN
 * choice, each made once per context.
 */
public final class OpenSslServerContext implements SSLContext {

    private static final Log log = LogFactory.getLog(OpenSslServerContext.class);
    /** Binds sessions to this application (OpenSSL refuses to resume client-authenticated sessions without one). */
    private static final byte[] SESSION_ID_CONTEXT = "reprise".getBytes(StandardCharsets.US_ASCII);

    private final SSLHostConfigCertificate certificate;
    private final SSLHostConfig host;
    private final ConnectorBinding connector;
    private final List<byte[]> applicationProtocols;
    private final String[] enabledProtocols;
    private final String[] enabledCipherSuites;
    private final AtomicInteger liveConnections = new AtomicInteger();
    private final ScratchBuffers scratch = new ScratchBuffers(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    private final Cleaner cleaner = Cleaner.create();
    /** Holds the ALPN callback's upcall stub; engines hold this context, so it outlives every SSL using it. */
    private final Arena stubs = Arena.ofAuto();
    private final SessionContext sessionContext = new SessionContext();

    private MemorySegment ctx = MemorySegment.NULL;
    private int verifyMode;
    private int minVersion;
    private int maxVersion;
    private X509Certificate[] chain = new X509Certificate[0];
    private X509Certificate[] acceptedIssuers = new X509Certificate[0];
    private @Nullable SessionCallbacks callbacks;
    private boolean opened;

    OpenSslServerContext(SSLHostConfigCertificate certificate, List<String> negotiableProtocols,
            String[] enabledProtocols, String[] enabledCipherSuites, ConnectorBinding connector) {
        this.certificate = certificate;
        this.host = certificate.getSSLHostConfig();
        this.connector = connector;
        this.applicationProtocols = negotiableProtocols.stream().map(p -> p.getBytes(StandardCharsets.US_ASCII))
                .filter(p -> p.length > 0 && p.length < 256).toList();
        this.enabledProtocols = enabledProtocols.clone();
        this.enabledCipherSuites = enabledCipherSuites.clone();
    }

    @Override
    public synchronized void init(KeyManager[] kms, TrustManager[] tms, SecureRandom sr) throws KeyManagementException {
        if (!ctx.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("SSL context already initialised");
        }
        try {
            ctx = (MemorySegment) NativeSsl.SSL_CTX_new.invokeExact((MemorySegment) NativeSsl.TLS_server_method.invokeExact());
            if (ctx.equals(MemorySegment.NULL)) {
                throw new KeyManagementException("SSL_CTX_new failed: " + NativeSsl.errors());
            }
            configure(kms, tms);
        } catch (KeyManagementException e) {
            destroy();
            throw e;
        } catch (Throwable e) {
            destroy();
            throw new KeyManagementException("Reprise could not configure OpenSSL for SSLHostConfig "
                    + host.getHostName() + ": " + e.getMessage(), e);
        }
        installCallbacks(tms, sr);
    }

    private void configure(KeyManager[] kms, TrustManager[] tms) throws Throwable {
        minVersion = versionBound(enabledProtocols, true);
        maxVersion = versionBound(enabledProtocols, false);
        check(ctrl(NativeSsl.SSL_CTRL_SET_MIN_PROTO_VERSION, minVersion, MemorySegment.NULL) == 1, "protocols");
        check(ctrl(NativeSsl.SSL_CTRL_SET_MAX_PROTO_VERSION, maxVersion, MemorySegment.NULL) == 1, "protocols");
        long options = NativeSsl.SSL_OP_NO_COMPRESSION | NativeSsl.SSL_OP_NO_RENEGOTIATION
                | (host.getHonorCipherOrder() ? NativeSsl.SSL_OP_CIPHER_SERVER_PREFERENCE : 0);
        long unused = (long) NativeSsl.SSL_CTX_set_options.invokeExact(ctx, options);
        // idle keep-alive connections give their record buffers back
        unused = ctrl(NativeSsl.SSL_CTRL_MODE, NativeSsl.SSL_MODE_RELEASE_BUFFERS, MemorySegment.NULL);
        unused = ctrl(NativeSsl.SSL_CTRL_SET_DH_AUTO, 1, MemorySegment.NULL);
        try (Arena arena = Arena.ofConfined()) {
            if (minVersion <= NativeSsl.TLS1_2_VERSION) {
                check((int) NativeSsl.SSL_CTX_set_cipher_list.invokeExact(ctx, arena.allocateFrom(host.getCiphers())) == 1,
                        "ciphers=\"" + host.getCiphers() + "\"");
            }
            if (maxVersion >= NativeSsl.TLS1_3_VERSION) {
                check((int) NativeSsl.SSL_CTX_set_ciphersuites.invokeExact(ctx,
                        arena.allocateFrom(host.getCipherSuites())) == 1, "cipherSuites=\"" + host.getCipherSuites() + "\"");
            }
            String configured = host.getGroups();
            if (configured != null && !configured.isBlank()) {
                String groups = String.join(":", configured.trim().split("\\s*[,:]\\s*"));
                check(ctrl(NativeSsl.SSL_CTRL_SET_GROUPS_LIST, 0, arena.allocateFrom(groups)) == 1,
                        "groups=\"" + groups + "\"");
            }
            useKeyAndChain(arena, keyManager(kms));
            check((int) NativeSsl.SSL_CTX_set_session_id_context.invokeExact(ctx,
                    arena.allocateFrom(JAVA_BYTE, SESSION_ID_CONTEXT), SESSION_ID_CONTEXT.length) == 1,
                    "session ID context");
            trust(arena, tms);
        }
        if (!applicationProtocols.isEmpty()) {
            MemorySegment select = Linker.nativeLinker().upcallStub(MethodHandles.lookup().findVirtual(
                    OpenSslServerContext.class, "selectApplicationProtocol", MethodType.methodType(int.class,
                            MemorySegment.class, MemorySegment.class, MemorySegment.class, MemorySegment.class,
                            int.class, MemorySegment.class)).bindTo(this), NativeSsl.ALPN_SELECT_CB, stubs);
            NativeSsl.SSL_CTX_set_alpn_select_cb.invokeExact(ctx, select, MemorySegment.NULL);
        }
        unused = (long) NativeSsl.SSL_CTX_set_timeout.invokeExact(ctx, connector.sessionTimeout(host).toSeconds());
        NativeSsl.clearErrors();
    }

    /** The key manager Tomcat made from the keystore or PEM files (the first X.509 one). */
    private static X509KeyManager keyManager(KeyManager @Nullable [] kms) throws KeyManagementException {
        if (kms != null) {
            for (KeyManager km : kms) {
                if (km instanceof X509KeyManager x509) {
                    return x509;
                }
            }
        }
        throw new KeyManagementException("no X.509 key manager: the certificate's key could not be loaded");
    }

    private void useKeyAndChain(Arena arena, X509KeyManager km) throws Throwable {
        String alias = certificate.getCertificateKeyAlias() != null ? certificate.getCertificateKeyAlias()
                : SSLUtilBase.DEFAULT_KEY_ALIAS;
        X509Certificate[] found = km.getCertificateChain(alias);
        if (found == null) {
            alias = anyServerAlias(km);
            found = alias == null ? null : km.getCertificateChain(alias);
        }
        PrivateKey key = alias == null ? null : km.getPrivateKey(alias);
        if (found == null || found.length == 0 || key == null || key.getEncoded() == null) {
            throw new KeyManagementException("no certificate chain and private key for SSLHostConfig "
                    + host.getHostName() + " (key alias " + alias + ")");
        }
        MemorySegment x509 = x509(arena, found[0]);
        try {
            check((int) NativeSsl.SSL_CTX_use_certificate.invokeExact(ctx, x509) == 1, "the certificate");
        } finally {
            NativeSsl.X509_free.invokeExact(x509);
        }
        for (int i = 1; i < found.length; i++) {
            MemorySegment link = x509(arena, found[i]);
            try {
                // SSL_CTX_add1_chain_cert: the context takes its own reference
                check(ctrl(NativeSsl.SSL_CTRL_CHAIN_CERT, 1, link) == 1, "the certificate chain");
            } finally {
                NativeSsl.X509_free.invokeExact(link);
            }
        }
        byte[] pkcs8 = key.getEncoded();
        MemorySegment der = arena.allocateFrom(JAVA_BYTE, pkcs8);
        Arrays.fill(pkcs8, (byte) 0);
        MemorySegment cursor = arena.allocateFrom(ADDRESS, der);
        MemorySegment pkey = (MemorySegment) NativeSsl.d2i_AutoPrivateKey.invokeExact(MemorySegment.NULL, cursor,
                der.byteSize());
        der.fill((byte) 0);
        check(!pkey.equals(MemorySegment.NULL), "the private key");
        try {
            check((int) NativeSsl.SSL_CTX_use_PrivateKey.invokeExact(ctx, pkey) == 1, "the private key");
        } finally {
            NativeSsl.EVP_PKEY_free.invokeExact(pkey);
        }
        check((int) NativeSsl.SSL_CTX_check_private_key.invokeExact(ctx) == 1,
                "the private key, which does not match the certificate");
        chain = found.clone();
    }

    private @Nullable String anyServerAlias(X509KeyManager km) {
        List<String> types = switch (certificate.getType()) {
            case RSA -> List.of("RSA");
            case EC -> List.of("EC");
            case DSA -> List.of("DSA");
            default -> List.of("RSA", "EC", "DSA");
        };
        for (String type : types) {
            String alias = km.chooseServerAlias(type, null, null);
            if (alias != null) {
                return alias;
            }
        }
        return null;
    }

    /** Client certificates: verified by OpenSSL against the issuers Tomcat's trust managers accept. */
    private void trust(Arena arena, TrustManager @Nullable [] tms) throws Throwable {
        verifyMode = switch (host.getCertificateVerification()) {
            case NONE -> NativeSsl.SSL_VERIFY_NONE;
            case OPTIONAL, OPTIONAL_NO_CA -> NativeSsl.SSL_VERIFY_PEER;
            case REQUIRED -> NativeSsl.SSL_VERIFY_PEER | NativeSsl.SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
        };
        if (host.getCertificateVerification() == SSLHostConfig.CertificateVerification.OPTIONAL_NO_CA) {
            log.warn("Reprise OpenSSL engine: certificateVerification=\"optionalNoCA\" on SSLHostConfig "
                    + host.getHostName() + " is treated as \"optional\": client certificates are verified");
        }
        List<X509Certificate> issuers = new ArrayList<>();
        if (tms != null) {
            for (TrustManager tm : tms) {
                if (tm instanceof X509TrustManager x509) {
                    issuers.addAll(Arrays.asList(x509.getAcceptedIssuers()));
                }
            }
        }
        acceptedIssuers = issuers.toArray(new X509Certificate[0]);
        if (verifyMode != NativeSsl.SSL_VERIFY_NONE && issuers.isEmpty()) {
            log.warn("Reprise OpenSSL engine: SSLHostConfig " + host.getHostName() + " asks for client certificates "
                    + "but has no trust store; every client certificate will be refused");
        }
        MemorySegment store = (MemorySegment) NativeSsl.SSL_CTX_get_cert_store.invokeExact(ctx);
        for (X509Certificate issuer : issuers) {
            MemorySegment x509 = x509(arena, issuer);
            try {
                // both take their own reference; the store refuses only a duplicate, which is harmless
                int unused = (int) NativeSsl.X509_STORE_add_cert.invokeExact(store, x509);
                check((int) NativeSsl.SSL_CTX_add_client_CA.invokeExact(ctx, x509) == 1, "a trusted issuer");
            } finally {
                NativeSsl.X509_free.invokeExact(x509);
            }
        }
        NativeSsl.SSL_CTX_set_verify.invokeExact(ctx, verifyMode, MemorySegment.NULL);
        NativeSsl.SSL_CTX_set_verify_depth.invokeExact(ctx, host.getCertificateVerificationDepth());
    }

    private void installCallbacks(TrustManager[] tms, @Nullable SecureRandom sr) throws KeyManagementException {
        boolean stateful = connector.settings().sessionMode() == SessionMode.STATEFUL || host.getDisableSessionTickets();
        try {
            SessionCallbacks installed = new SessionCallbacks(connector, host.getHostName(),
                    connector.sessionTimeout(host), stateful,
                    host.getCertificateVerification() == SSLHostConfig.CertificateVerification.REQUIRED,
                    enabledCiphers(), ClientAuthPolicy.fingerprint(host, tms), sr != null ? sr : new SecureRandom());
            installed.install(ctx);
            callbacks = installed;
        } catch (Throwable e) {
            destroy();
            throw new KeyManagementException("Reprise could not install its session callbacks on OpenSSL for "
                    + "SSLHostConfig " + host.getHostName() + ": " + e.getMessage(), e);
        }
        try {
            connector.open();
        } catch (IllegalStateException duplicateName) {
            destroy();
            throw new KeyManagementException(duplicateName.getMessage(), duplicateName);
        }
        opened = true;
        log.info("Reprise OpenSSL engine (" + NativeSsl.version() + ") on SSLHostConfig " + host.getHostName()
                + " of connector " + connector.name() + ": " + (stateful ? "stateful sessions in the session store"
                : "stateless tickets") + ", TLS 1.2 and TLS 1.3 resumption, no early data");
    }

    /** The IANA numbers of the cipher suites the host enables (TLS 1.2 and 1.3), as configured above. */
    private BitSet enabledCiphers() throws Throwable {
        BitSet enabled = new BitSet(0x10000);
        MemorySegment stack = (MemorySegment) NativeSsl.SSL_CTX_get_ciphers.invokeExact(ctx);
        int n = stack.equals(MemorySegment.NULL) ? 0 : (int) NativeSsl.OPENSSL_sk_num.invokeExact(stack);
        for (int i = 0; i < n; i++) {
            MemorySegment cipher = (MemorySegment) NativeSsl.OPENSSL_sk_value.invokeExact(stack, i);
            enabled.set(Short.toUnsignedInt((short) NativeSsl.SSL_CIPHER_get_protocol_id.invokeExact(cipher)));
        }
        return enabled;
    }

    /**
     * {@code int alpn_select_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
     * unsigned int inlen, void *arg)}: the first of Tomcat's negotiable protocols (h2 before http/1.1) that the
     * client offers; none in common means no ALPN extension in the answer, as Tomcat does.
     */
    int selectApplicationProtocol(MemorySegment ssl, MemorySegment out, MemorySegment outLength, MemorySegment in,
            int inLength, MemorySegment arg) {
        try {
            MemorySegment offered = in.reinterpret(Integer.toUnsignedLong(inLength));
            for (byte[] mine : applicationProtocols) {
                for (long i = 0; i < offered.byteSize(); ) {
                    int length = Byte.toUnsignedInt(offered.get(JAVA_BYTE, i));
                    if (i + 1 + length > offered.byteSize()) {
                        break;
                    }
                    if (length == mine.length && MemorySegment.mismatch(offered, i + 1, i + 1 + length,
                            MemorySegment.ofArray(mine), 0, length) < 0) {
                        out.reinterpret(ADDRESS.byteSize()).set(ADDRESS, 0, offered.asSlice(i + 1));
                        outLength.reinterpret(1).set(JAVA_BYTE, 0, (byte) length);
                        return NativeSsl.SSL_TLSEXT_ERR_OK;
                    }
                    i += 1 + length;
                }
            }
        } catch (RuntimeException e) {
            log.debug("ALPN selection failed", e);
        }
        return NativeSsl.SSL_TLSEXT_ERR_NOACK;
    }

    private long ctrl(int command, long larg, MemorySegment parg) throws Throwable {
        return (long) NativeSsl.SSL_CTX_ctrl.invokeExact(ctx, command, larg, parg);
    }

    private static MemorySegment x509(Arena arena, X509Certificate certificate) throws Throwable {
        MemorySegment der = arena.allocateFrom(JAVA_BYTE, certificate.getEncoded());
        MemorySegment x509 = (MemorySegment) NativeSsl.d2i_X509.invokeExact(MemorySegment.NULL,
                arena.allocateFrom(ADDRESS, der), der.byteSize());
        check(!x509.equals(MemorySegment.NULL), "certificate " + certificate.getSubjectX500Principal());
        return x509;
    }

    private static void check(boolean ok, String what) throws KeyManagementException {
        if (!ok) {
            throw new KeyManagementException("OpenSSL refused " + what + ": " + NativeSsl.errors());
        }
    }

    /** The lowest or highest of the enabled protocols as an OpenSSL version (Reprise speaks TLS 1.2 and 1.3). */
    static int versionBound(String[] protocols, boolean lowest) {
        boolean tls12 = Arrays.asList(protocols).contains("TLSv1.2");
        boolean tls13 = Arrays.asList(protocols).contains("TLSv1.3");
        if (!tls12 && !tls13) {
            throw new IllegalArgumentException("no protocol Reprise's OpenSSL engine speaks (TLSv1.2, TLSv1.3) among "
                    + Arrays.toString(protocols));
        }
        if (lowest) {
            return tls12 ? NativeSsl.TLS1_2_VERSION : NativeSsl.TLS1_3_VERSION;
        }
        return tls13 ? NativeSsl.TLS1_3_VERSION : NativeSsl.TLS1_2_VERSION;
    }

    MemorySegment sslCtx() {
        return ctx;
    }

    int verifyMode() {
        return verifyMode;
    }

    int minVersion() {
        return minVersion;
    }

    int maxVersion() {
        return maxVersion;
    }

    String[] enabledProtocols() {
        return enabledProtocols.clone();
    }

    String[] enabledCipherSuites() {
        return enabledCipherSuites.clone();
    }

    boolean isEnabledCipherSuites(String[] suites) {
        return suites == enabledCipherSuites || Arrays.equals(suites, enabledCipherSuites);
    }

    ScratchBuffers scratch() {
        return scratch;
    }

    Cleaner cleaner() {
        return cleaner;
    }

    AtomicInteger liveConnectionCounter() {
        return liveConnections;
    }

    /** @return how many engines of this context still hold an {@code SSL} (freed on close, or by the leak guard) */
    int liveConnections() {
        return liveConnections.get();
    }

    SSLSessionContext sessionContext() {
        return sessionContext;
    }

    @Override
    public synchronized void destroy() {
        try {
            if (!ctx.equals(MemorySegment.NULL)) {
                // OpenSSL counts references: SSLs still open keep the SSL_CTX until they are freed
                NativeSsl.SSL_CTX_free.invokeExact(ctx);
                ctx = MemorySegment.NULL;
            }
        } catch (Throwable e) {
            log.warn("SSL_CTX_free failed", e);
        } finally {
            if (callbacks != null) {
                callbacks.close();
            }
            if (opened) {
                opened = false;
                connector.close();
            }
            scratch.close();
        }
    }

    @Override
    public SSLSessionContext getServerSessionContext() {
        return sessionContext;
    }

    @Override
    public SSLEngine createSSLEngine() {
        return new OpenSslEngine(this);
    }

    @Override
    public SSLServerSocketFactory getServerSocketFactory() {
        throw new UnsupportedOperationException("Reprise's OpenSSL engine serves Tomcat's NIO connectors only");
    }

    @Override
    public SSLParameters getSupportedSSLParameters() {
        return new SSLParameters(OpenSslResumptionUtil.IMPLEMENTED_CIPHERS.toArray(new String[0]),
                OpenSslResumptionUtil.IMPLEMENTED_PROTOCOLS.toArray(new String[0]));
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return chain.clone();
    }

    X509Certificate[] chain() {
        return chain;
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return acceptedIssuers.clone();
    }

    /**
     * The context Tomcat configures with the host's session cache size and timeout: the timeout is OpenSSL's
     * (the lifetime hint in tickets); sessions themselves live in Reprise's store, so there is nothing to list.
     */
    private final class SessionContext implements SSLSessionContext {
        private volatile int timeout;
        private volatile int cacheSize;

        @Override
        public @Nullable SSLSession getSession(byte[] sessionId) {
            return null;
        }

        @Override
        public Enumeration<byte[]> getIds() {
            return java.util.Collections.emptyEnumeration();
        }

        @Override
        public void setSessionTimeout(int seconds) {
            timeout = seconds;
            synchronized (OpenSslServerContext.this) {
                if (!ctx.equals(MemorySegment.NULL) && seconds > 0) {
                    try {
                        long unused = (long) NativeSsl.SSL_CTX_set_timeout.invokeExact(ctx, (long) seconds);
                    } catch (Throwable e) {
                        throw new IllegalStateException("SSL_CTX_set_timeout failed", e);
                    }
                }
            }
        }

        @Override
        public int getSessionTimeout() {
            return timeout;
        }

        @Override
        public void setSessionCacheSize(int size) {
            cacheSize = size;
        }

        @Override
        public int getSessionCacheSize() {
            return cacheSize;
        }
    }
}
