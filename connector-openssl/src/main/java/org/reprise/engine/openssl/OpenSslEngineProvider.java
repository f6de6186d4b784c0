package org.reprise.engine.openssl;

import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLUtil;
import org.reprise.tomcat.ConnectorBinding;
import org.reprise.tomcat.EngineProvider;

/**
 * The OpenSSL engine, {@code resumptionEngine="openssl"}: Reprise's own SSLEngine over libssl, with Reprise's
 * session and ticket key callbacks, for TLS 1.2 and TLS 1.3 resumption through the connector's store and key
 * ring. Needs Java 22 or later and OpenSSL 3 (libssl3); nothing of Tomcat's own OpenSSL support.
 */
public final class OpenSslEngineProvider implements EngineProvider {

    /** Made by {@link java.util.ServiceLoader}. */
    public OpenSslEngineProvider() {
    }

    @Override
    public String name() {
        return SessionCallbacks.ENGINE_NAME;
    }

    @Override
    public void checkAvailable() {
        if (Runtime.version().feature() < 22) {
            throw new IllegalStateException("Reprise setting resumptionEngine=\"openssl\" needs Java 22 or later; "
                    + "this is Java " + Runtime.version());
        }
        try {
            NativeSsl.version();
        } catch (IllegalStateException | ExceptionInInitializerError | NoClassDefFoundError e) {
            Throwable cause = e instanceof ExceptionInInitializerError init && init.getCause() != null ? init.getCause() : e;
            throw new IllegalStateException("Reprise setting resumptionEngine=\"openssl\": " + cause.getMessage(), e);
        }
    }

    @Override
    public SSLUtil sslUtil(SSLHostConfigCertificate certificate, ConnectorBinding connector) {
        return new OpenSslResumptionUtil(certificate, connector);
    }
}
