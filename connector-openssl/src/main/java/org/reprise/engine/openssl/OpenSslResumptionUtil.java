package org.reprise.engine.openssl;

import java.util.List;
import org.apache.tomcat.util.net.SSLContext;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.openssl.panama.OpenSSLUtil;
import org.reprise.tomcat.ConnectorBinding;

/**
 * Tomcat's OpenSSL SSLUtil (keys, trust, protocols and ciphers exactly as Tomcat's OpenSSL connector reads
 * them), making SSL contexts that resume through Reprise.
 */
final class OpenSslResumptionUtil extends OpenSSLUtil {

    private final ConnectorBinding connector;

    OpenSslResumptionUtil(SSLHostConfigCertificate certificate, ConnectorBinding connector) {
        super(certificate);
        this.connector = connector;
    }

    @Override
    public SSLContext createSSLContextInternal(List<String> negotiableProtocols) throws Exception {
        return new ResumingOpenSslContext(certificate, negotiableProtocols, connector);
    }
}
