package org.reprise.engine.openssl;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLUtil;
import org.reprise.tomcat.ConnectorBinding;
import org.reprise.tomcat.EngineProvider;

/**
 * The OpenSSL engine, {@code resumptionEngine="openssl"}: Tomcat 11's OpenSSL binding with Reprise's session
 * and ticket key callbacks, for TLS 1.2 and TLS 1.3 resumption through the connector's store and key ring.
 * Needs Java 22 or later, Tomcat's {@code tomcat-coyote-ffm.jar} and OpenSSL 3 (libssl3).
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
        try {
            Class.forName("org.apache.tomcat.util.net.openssl.panama.OpenSSLContext", false,
                    OpenSslEngineProvider.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("Reprise setting resumptionEngine=\"openssl\" needs Tomcat's OpenSSL "
                    + "binding, tomcat-coyote-ffm.jar (in a Tomcat distribution's lib directory; embedded, put that "
                    + "jar on the class path)", e);
        }
        try {
            NativeSsl.version();
        } catch (IllegalStateException | ExceptionInInitializerError | NoClassDefFoundError e) {
            Throwable cause = e instanceof ExceptionInInitializerError init && init.getCause() != null ? init.getCause() : e;
            throw new IllegalStateException("Reprise setting resumptionEngine=\"openssl\": " + cause.getMessage(), e);
        }
        String tomcatsName = System.mapLibraryName("ssl");
        try (Arena probe = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(tomcatsName, probe);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Reprise setting resumptionEngine=\"openssl\": Tomcat's OpenSSL binding opens "
                    + tomcatsName + ", which this machine lacks; on Debian or Ubuntu install libssl-dev", e);
        }
    }

    @Override
    public SSLUtil sslUtil(SSLHostConfigCertificate certificate, ConnectorBinding connector) {
        return new OpenSslResumptionUtil(certificate, connector);
    }
}
