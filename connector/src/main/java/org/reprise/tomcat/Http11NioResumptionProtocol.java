package org.reprise.tomcat;

import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat's HTTP/1.1 NIO protocol with Reprise: its connector uses {@link ResumptionSslImplementation} and
 * accepts Reprise's attributes and those of the chosen store (docs/SETTINGS.md lists them) next to Tomcat's,
 * in server.xml or through {@code Connector.setProperty}. HTTP/2 works as usual through {@code <UpgradeProtocol>}.
 */
public class Http11NioResumptionProtocol extends Http11NioProtocol {

    private final ProtocolSettings settings;

    /** The protocol with default settings, as server.xml makes it. */
    public Http11NioResumptionProtocol() {
        this(ResumptionSettings.defaults());
    }

    /**
     * The protocol for embedded use.
     *
     * @param settings Reprise's settings for this connector; server.xml-style attributes set later override them
     */
    public Http11NioResumptionProtocol(ResumptionSettings settings) {
        this(new ProtocolSettings(settings));
    }

    private Http11NioResumptionProtocol(ProtocolSettings settings) {
        super(new Endpoint(settings));
        this.settings = settings;
        setSslImplementationName(ResumptionSslImplementation.class.getName());
    }

    /**
     * Gives a protocol that Tomcat made by class name (as {@code new Connector(className)} does, in server.xml or
     * in Spring Boot) its settings from code, as the constructor does for a protocol made in code; attributes
     * set on the connector still override them.
     *
     * @param settings Reprise's settings for this connector
     * @throws IllegalStateException once the connector has initialised, when its settings are in use
     */
    public void configure(ResumptionSettings settings) {
        this.settings.replaceFromCode(settings);
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
    private static final class Endpoint extends NioEndpoint {
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
