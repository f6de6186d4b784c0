package org.reprise.engine.openssl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.net.SSLContext;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLUtilBase;
import org.reprise.tomcat.ConnectorBinding;

/**
 * Tomcat's SSLUtil for one certificate on the OpenSSL engine. Tomcat's base class loads the key and trust
 * store exactly as for JSSE (PKCS12, JKS or PEM; RSA or EC) and works out the enabled protocols and cipher
 * suites against what this machine's libssl implements; this class makes the {@link OpenSslServerContext}.
 */
final class OpenSslResumptionUtil extends SSLUtilBase {

    private static final Log log = LogFactory.getLog(OpenSslResumptionUtil.class);
    /** Reprise's engine speaks TLS 1.2 and 1.3 only, as its Bouncy Castle engine and JSSE's defaults do. */
    static final Set<String> IMPLEMENTED_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    /** The IANA names of every cipher suite libssl implements, read once. */
    static final Set<String> IMPLEMENTED_CIPHERS = implementedCiphers();

    private final ConnectorBinding connector;

    OpenSslResumptionUtil(SSLHostConfigCertificate certificate, ConnectorBinding connector) {
        // Tomcat's default protocol list names TLS 1.0 and 1.1, which Reprise does not speak; no warning for that
        super(certificate, false);
        this.connector = connector;
    }

    @Override
    protected Set<String> getImplementedProtocols() {
        return IMPLEMENTED_PROTOCOLS;
    }

    @Override
    protected Set<String> getImplementedCiphers() {
        return IMPLEMENTED_CIPHERS;
    }

    @Override
    protected Log getLog() {
        return log;
    }

    @Override
    protected boolean isTls13RenegAuthAvailable() {
        return false;
    }

    @Override
    public SSLContext createSSLContextInternal(List<String> negotiableProtocols) {
        return new OpenSslServerContext(certificate, negotiableProtocols, getEnabledProtocols(), getEnabledCiphers(),
                connector);
    }

    private static Set<String> implementedCiphers() {
        Set<String> names = new LinkedHashSet<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctx = (MemorySegment) NativeSsl.SSL_CTX_new.invokeExact(
                    (MemorySegment) NativeSsl.TLS_server_method.invokeExact());
            try {
                int ok = (int) NativeSsl.SSL_CTX_set_cipher_list.invokeExact(ctx, arena.allocateFrom("ALL:COMPLEMENTOFALL"));
                ok &= (int) NativeSsl.SSL_CTX_set_ciphersuites.invokeExact(ctx, arena.allocateFrom(
                        "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:"
                                + "TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256"));
                if (ok != 1) {
                    throw new IllegalStateException("libssl refused its own cipher lists: " + NativeSsl.errors());
                }
                MemorySegment stack = (MemorySegment) NativeSsl.SSL_CTX_get_ciphers.invokeExact(ctx);
                int n = (int) NativeSsl.OPENSSL_sk_num.invokeExact(stack);
                for (int i = 0; i < n; i++) {
                    MemorySegment cipher = (MemorySegment) NativeSsl.OPENSSL_sk_value.invokeExact(stack, i);
                    String name = NativeSsl.string((MemorySegment) NativeSsl.SSL_CIPHER_standard_name.invokeExact(cipher));
                    if (name != null) {
                        names.add(name);
                    }
                }
            } finally {
                NativeSsl.SSL_CTX_free.invokeExact(ctx);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot list libssl's cipher suites", e);
        }
        return Set.copyOf(names);
    }
}
