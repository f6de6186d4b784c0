package org.reprise.tomcat;

import org.apache.coyote.http11.Http11Nio2Protocol;
import org.apache.tomcat.util.net.Nio2Endpoint;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat's HTTP/1.1 NIO2 protocol with Reprise: its connector uses {@link ResumptionSslImplementation} and
 * accepts Reprise's attributes and those of the chosen store (docs/SETTINGS.md lists them) next to Tomcat's,
 * in server.xml or through {@code Connector.setProperty}. HTTP/2 works as usual through {@code <UpgradeProtocol>}.
 *
 * @deprecated Tomcat 12 removes the NIO2 connector (Tomcat commit 21f0936, "Drop NIO2 connector from Tomcat 12"),
 *             so this class goes with it; use {@link Http11NioResumptionProtocol}, which takes the same settings.
 *             Until then it shares everything but its endpoint with the NIO protocol (see {@link ProtocolSettings}).
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public class Http11Nio2ResumptionProtocol extends Http11Nio2Protocol {

    private final ProtocolSettings settings;

    /** The protocol with default settings, as server.xml makes it. */
    public Http11Nio2ResumptionProtocol() {
        this(ResumptionSettings.defaults());
    }

    /**
     * The protocol for embedded use.
     *
     * @param settings Reprise's settings for this connector; server.xml-style attributes set later override them
     */
    public Http11Nio2ResumptionProtocol(ResumptionSettings settings) {
        this(new ProtocolSettings(settings));
    }

    private Http11Nio2ResumptionProtocol(ProtocolSettings settings) {
        super(new Endpoint(settings));
        this.settings = settings;
        setSslImplementationName(ResumptionSslImplementation.class.getName());
    }

    @Override
    public boolean setProperty(String name, String value) {
        return settings.setAttribute(name, value) || super.setProperty(name, value);
    }

    @Override
    public @Nullable String getProperty(String name) {
        String value = settings.getAttribute(name);
        return value != null ? value : super.getProperty(name);
    }

    @Override
    public void init() throws Exception {
        settings.resolve();
        super.init();
    }

    @Override
    public void destroy() throws Exception {
        try {
            super.destroy();
        } finally {
            settings.release();
        }
    }

    /**
     * @return the connector's Reprise implementation: its counters, store and key ring
     * @throws IllegalStateException before the connector has initialised TLS
     */
    public ResumptionSslImplementation resumption() {
        return ProtocolSettings.started(getEndpoint().getSslImplementation());
    }

    /**
     * Hands Reprise's settings to the SSL implementation just before Tomcat builds the SSL contexts, and
     * makes the connector's resumption state before it accepts connections.
     */
    private static final class Endpoint extends Nio2Endpoint {
        private final ProtocolSettings settings;

        Endpoint(ProtocolSettings settings) {
            this.settings = settings;
        }

        @Override
        protected void createSSLContext(SSLHostConfig sslHostConfig) {
            settings.handOver(getSslImplementation(), getName());
            super.createSSLContext(sslHostConfig);
        }

        /** Every SSLHostConfig is known by now, and no connection is accepted yet. */
        @Override
        public void startInternal() throws Exception {
            settings.start(getSslImplementation());
            super.startInternal();
        }
    }
}
