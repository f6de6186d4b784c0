package org.reprise.tomcat;

import java.util.Objects;
import org.apache.tomcat.util.net.SSLImplementation;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link Http11NioResumptionProtocol}: those from code, the attributes from server.xml, and
 * the hand-over of both to the connector's {@link ResumptionSslImplementation}, kept apart from the protocol so
 * that the protocol class only wires Tomcat's lifecycle to them.
 */
final class ProtocolSettings {

    private ResumptionSettings fromCode;
    private final ConnectorAttributes fromServerXml = new ConnectorAttributes();
    private ConnectorAttributes.@Nullable Resolved resolved;

    ProtocolSettings(ResumptionSettings fromCode) {
        this.fromCode = fromCode;
    }

    /** The settings from code of a protocol made by class name, handed over before the connector initialises. */
    void replaceFromCode(ResumptionSettings settings) {
        if (resolved != null) {
            throw new IllegalStateException("Reprise's settings from code must be given before the connector"
                    + " initialises; this one has");
        }
        fromCode = Objects.requireNonNull(settings, "settings");
    }

    boolean setAttribute(String name, String value) {
        return fromServerXml.set(name, value);
    }

    @Nullable String getAttribute(String name) {
        return fromServerXml.get(name);
    }

    /**
     * Checks the settings once, when the connector initialises, and opens the stores they name; a mistake
     * stops the connector with a message naming the setting.
     */
    void resolve() {
        release();
        resolved = fromServerXml.applyTo(fromCode);
    }

    /** Closes the stores {@link #resolve()} opened, when the connector is destroyed. */
    void release() {
        if (resolved != null && resolved.stores() != null) {
            resolved.stores().close();
        }
        resolved = null;
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
        if (resolved == null) {
            resolve();
        }
        reprise.configure(resolved.settings(), connectorName);
    }

    /**
     * Makes the connector's store and key ring before it accepts connections: waiting for a database's first
     * connection and loading the cluster's ticket keys belongs to startup, not to the first handshake.
     */
    void start(@Nullable SSLImplementation implementation) {
        if (implementation instanceof ResumptionSslImplementation reprise) {
            reprise.resumptionContext();
        }
    }

    static ResumptionSslImplementation started(@Nullable SSLImplementation implementation) {
        if (implementation instanceof ResumptionSslImplementation reprise) {
            return reprise;
        }
        throw new IllegalStateException("The connector has not initialised TLS yet");
    }
}
