package org.reprise.engine.openssl;

import java.lang.foreign.MemorySegment;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.BitSet;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.openssl.panama.OpenSSLContext;
import org.jspecify.annotations.Nullable;
import org.reprise.tomcat.ClientAuthPolicy;
import org.reprise.tomcat.ConnectorBinding;
import org.reprise.tomcat.SessionMode;

/**
 * Tomcat's OpenSSL context for one certificate, with Reprise's callbacks installed on its {@code SSL_CTX}
 * once Tomcat has configured it. Being Tomcat's own class keeps everything else of Tomcat's OpenSSL
 * support as it is (certificates, ciphers, ALPN, client certificates, OCSP), and ties the callbacks'
 * lifetime to the native context: Tomcat frees the {@code SSL_CTX} only when this object is unreachable,
 * and the upcall stubs live exactly as long.
 */
final class ResumingOpenSslContext extends OpenSSLContext {

    private static final Log log = LogFactory.getLog(ResumingOpenSslContext.class);

    private final SSLHostConfig host;
    private final ConnectorBinding connector;
    /** Held so that the callbacks' upcall stubs live exactly as long as this context; closed on destroy. */
    private @Nullable SessionCallbacks callbacks;
    private boolean opened;

    ResumingOpenSslContext(SSLHostConfigCertificate certificate, List<String> negotiableProtocols,
            ConnectorBinding connector) throws SSLException {
        super(certificate, negotiableProtocols);
        this.host = certificate.getSSLHostConfig();
        this.connector = connector;
    }

    @Override
    public synchronized void init(KeyManager[] kms, TrustManager[] tms, SecureRandom sr) throws KeyManagementException {
        super.init(kms, tms, sr);
        MemorySegment ctx = getSSLContext();
        boolean stateful = connector.settings().sessionMode() == SessionMode.STATEFUL || host.getDisableSessionTickets();
        try {
            SessionCallbacks installed = new SessionCallbacks(connector, host.getHostName(),
                    connector.sessionTimeout(host), stateful,
                    host.getCertificateVerification() == SSLHostConfig.CertificateVerification.REQUIRED,
                    enabledCiphers(ctx), ClientAuthPolicy.fingerprint(host, tms), sr != null ? sr : new SecureRandom());
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

    /** The IANA numbers of the cipher suites the host enables (TLS 1.2 and 1.3), as Tomcat configured them. */
    private static BitSet enabledCiphers(MemorySegment ctx) throws KeyManagementException {
        BitSet enabled = new BitSet(0x10000);
        try {
            MemorySegment stack = (MemorySegment) NativeSsl.SSL_CTX_get_ciphers.invokeExact(ctx);
            int n = stack.equals(MemorySegment.NULL) ? 0 : (int) NativeSsl.OPENSSL_sk_num.invokeExact(stack);
            for (int i = 0; i < n; i++) {
                MemorySegment cipher = (MemorySegment) NativeSsl.OPENSSL_sk_value.invokeExact(stack, i);
                enabled.set(Short.toUnsignedInt((short) NativeSsl.SSL_CIPHER_get_protocol_id.invokeExact(cipher)));
            }
        } catch (Throwable e) {
            throw new KeyManagementException("Cannot read the enabled cipher suites from OpenSSL", e);
        }
        return enabled;
    }

    @Override
    public synchronized void destroy() {
        try {
            super.destroy();
        } finally {
            if (callbacks != null) {
                callbacks.close();
            }
            if (opened) {
                opened = false;
                connector.close();
            }
        }
    }
}
