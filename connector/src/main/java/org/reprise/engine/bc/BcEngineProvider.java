package org.reprise.engine.bc;

import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLUtil;
import org.reprise.tomcat.ConnectorBinding;
import org.reprise.tomcat.EngineProvider;

/**
 * The Bouncy Castle engine, {@code resumptionEngine="bc"} (the default): pure Java, TLS 1.2 resumption by
 * session ID and by ticket through the connector's store and key ring, TLS 1.3 handshakes without
 * resumption. Found like every other engine, through {@link java.util.ServiceLoader}.
 */
public final class BcEngineProvider implements EngineProvider {

    /** Made by {@link java.util.ServiceLoader}. */
    public BcEngineProvider() {
    }

    @Override
    public String name() {
        return BcServerContext.ENGINE_NAME;
    }

    /** Bouncy Castle ships in the connector's own jar set: nothing to check. */
    @Override
    public void checkAvailable() {
    }

    @Override
    public SSLUtil sslUtil(SSLHostConfigCertificate certificate, ConnectorBinding connector) {
        return new BcSslUtil(certificate, connector);
    }
}
