package org.reprise.engine.bc;

import java.util.List;
import java.util.Set;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.net.SSLContext;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLUtilBase;
import org.reprise.tomcat.ConnectorBinding;

/**
 * Tomcat's SSLUtil for one certificate of one SSLHostConfig. Tomcat's base class loads the key and the
 * trust store exactly as for JSSE (PKCS12, JKS or PEM; RSA or EC) and works out the enabled protocols
 * and cipher suites; this class adds the Reprise context. Made by {@link BcEngineProvider}.
 */
final class BcSslUtil extends SSLUtilBase {

    private static final Log log = LogFactory.getLog(BcSslUtil.class);
    private static final Set<String> PROTOCOLS = Set.copyOf(BcServerContext.SUPPORTED_PROTOCOLS);
    private static final Set<String> CIPHERS = Set.copyOf(BcServerContext.implementedCipherSuites());

    private final ConnectorBinding resumption;

    BcSslUtil(SSLHostConfigCertificate certificate, ConnectorBinding resumption) {
        // Tomcat's default protocol list names TLS 1.0 and 1.1, which Reprise does not speak (JSSE disables
        // them too); warning about them on every default configuration would only be noise.
        super(certificate, false);
        this.resumption = resumption;
    }

    @Override
    protected Set<String> getImplementedProtocols() {
        return PROTOCOLS;
    }

    @Override
    protected Set<String> getImplementedCiphers() {
        return CIPHERS;
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
    protected SSLContext createSSLContextInternal(List<String> negotiableProtocols) {
        return new BcSslContext(sslHostConfig, certificate, resumption);
    }
}
