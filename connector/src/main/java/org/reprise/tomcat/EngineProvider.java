package org.reprise.tomcat;

import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLUtil;

/**
 * A TLS engine a connector can run its handshakes on, chosen with the connector setting
 * {@code resumptionEngine="<name>"}. Every engine, the default Bouncy Castle one ({@code bc}, in the connector's
 * jar) included, is found with {@link java.util.ServiceLoader} on the class path of Tomcat's class loader (a jar
 * next to Reprise's in {@code $CATALINA_BASE/lib}).
 *
 * <p>An engine resumes sessions only through what its {@link ConnectorBinding} hands it: the connector's
 * session store, ticket key ring and counters, so the admin page, the stores and the metrics work the same
 * whichever engine runs. Implementations are thread-safe.
 */
public interface EngineProvider {

    /** @return the name {@code resumptionEngine} selects this engine by, such as {@code openssl} */
    String name();

    /**
     * Checks that everything the engine needs is present in this JVM and on this machine.
     *
     * @throws IllegalStateException naming what is missing and how to get it
     */
    void checkAvailable();

    /**
     * Makes Tomcat's SSLUtil for one certificate of one SSLHostConfig.
     *
     * @param certificate the certificate, with its SSLHostConfig
     * @param connector   the connector's resumption state
     * @return the SSLUtil, whose SSL contexts resume sessions through {@code connector}
     */
    SSLUtil sslUtil(SSLHostConfigCertificate certificate, ConnectorBinding connector);
}
