package org.reprise.tomcat;

import org.apache.tomcat.util.net.SSLImplementation;
import org.jspecify.annotations.Nullable;

/**
 * What Reprise's NIO and NIO2 protocol classes share: the settings from code, the attributes from
 * server.xml, and the hand-over of both to the connector's {@link ResumptionSslImplementation}.
 */
final class ProtocolSettings {

    private final ResumptionSettings fromCode;
    private final ConnectorAttributes fromServerXml = new ConnectorAttributes();
    private @Nullable ResumptionSettings effective;

    ProtocolSettings(ResumptionSettings fromCode) {
        this.fromCode = fromCode;
    }

    boolean setAttribute(String name, String value) {
        return fromServerXml.set(name, value);
    }

    @Nullable String getAttribute(String name) {
        return fromServerXml.get(name);
    }

    /** Checks the settings once, when the connector initialises; a mistake stops it with a clear message. */
    void resolve() {
        effective = fromServerXml.applyTo(fromCode);
    }

    /**
     * Hands the settings to the connector's SSL implementation, before Tomcat asks it for SSL contexts.
     *
     * @throws IllegalArgumentException if the connector names another SSL implementation
     */
    void handOver(@Nullable SSLImplementation implementation, String connectorName) {
        if (!(implementation instanceof ResumptionSslImplementation reprise)) {
            throw new IllegalArgumentException("Connector " + connectorName + " uses a Reprise protocol, so its "
                    + "sslImplementationName must be " + ResumptionSslImplementation.class.getName() + ", not "
                    + (implementation == null ? "none" : implementation.getClass().getName()));
        }
        if (effective == null) {
            resolve();
        }
        reprise.configure(effective, connectorName);
    }

    static ResumptionSslImplementation started(@Nullable SSLImplementation implementation) {
        if (implementation instanceof ResumptionSslImplementation reprise) {
            return reprise;
        }
        throw new IllegalStateException("The connector has not initialised TLS yet");
    }
}
