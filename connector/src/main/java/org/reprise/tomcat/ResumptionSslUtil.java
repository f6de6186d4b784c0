package org.reprise.tomcat;

import java.util.List;
import java.util.Set;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.net.SSLContext;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLUtilBase;
import org.reprise.engine.bc.BcServerContext;

/**
 * Tomcat's SSLUtil for one certificate of one SSLHostConfig. Tomcat's base class loads the key and the
 * trust store exactly as for JSSE (PKCS12, JKS or PEM; RSA or EC) and works out the enabled protocols
 * and cipher suites; this class adds the Reprise context.
 */
final class ResumptionSslUtil extends SSLUtilBase {

    private static final Log log = LogFactory.getLog(ResumptionSslUtil.class);
    private static final Set<String> PROTOCOLS = Set.copyOf(BcServerContext.SUPPORTED_PROTOCOLS);
    private static final Set<String> CIPHERS = Set.copyOf(BcServerContext.implementedCipherSuites());

    private final ConnectorResumption resumption;

    ResumptionSslUtil(SSLHostConfigCertificate certificate, ConnectorResumption resumption) {
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
        return new ResumptionSslContext(sslHostConfig, certificate, resumption);
    }
}
