package org.reprise.tomcat;

import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import javax.net.ssl.SSLSession;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLImplementation;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SSLUtil;
import org.jspecify.annotations.Nullable;
import org.reprise.core.admin.JmxNames;
import org.reprise.core.internal.ResumptionContext;
import org.reprise.core.metrics.ResumptionMetrics;

/**
 * Tomcat's entry point to Reprise: name this class as a connector's {@code sslImplementationName} and
 * its TLS handshakes run on a Reprise engine, which resumes sessions under Reprise's control and counts
 * every resumption asked for, granted or refused: by default the Bouncy Castle engine (TLS 1.2 resumption
 * by session ID and by ticket), or, with {@code resumptionEngine="openssl"}, Reprise's own engine over OpenSSL 3 with
 * Reprise's callbacks (TLS 1.2 and TLS 1.3 resumption; see {@link EngineProvider}).
 *
 * <p>Tomcat makes one instance per connector. With a plain Tomcat protocol the connector gets
 * {@link ResumptionSettings#defaults()}; with {@link Http11NioResumptionProtocol} it gets the settings written
 * on the connector or built in code.
 * The instance is thread-safe.
 */
public class ResumptionSslImplementation extends SSLImplementation {

    private @Nullable ConnectorResumption resumption;

    /** Made by Tomcat, by name, once per connector. */
    public ResumptionSslImplementation() {
    }

    /**
     * Gives the connector its settings. Called by Reprise's protocol classes before Tomcat asks for the
     * first {@link SSLUtil}; later calls (on reload) keep the state made by the first.
     */
    synchronized void configure(ResumptionSettings settings, String connectorName) {
        if (resumption == null) {
            resumption = new ConnectorResumption(settings, connectorName);
        }
    }

    private synchronized ConnectorResumption resumption() {
        if (resumption == null) {
            resumption = new ConnectorResumption(ResumptionSettings.defaults(),
                    "reprise-" + Integer.toHexString(System.identityHashCode(this)));
        }
        return resumption;
    }

    @Override
    public SSLSupport getSSLSupport(SSLSession session, Map<String, List<String>> additionalAttributes) {
        return new ResumptionSslSupport(session, additionalAttributes);
    }

    @Override
    public SSLUtil getSSLUtil(SSLHostConfigCertificate certificate) {
        ConnectorResumption connector = resumption();
        connector.register(certificate.getSSLHostConfig());
        return connector.engine().sslUtil(certificate, connector);
    }

    /** @return this connector's counters */
    public ResumptionMetrics metrics() {
        return resumption().metrics();
    }

    /** @return this connector's administration: purge sessions, retire ticket keys, read counters */
    public ConnectorAdmin admin() {
        return resumption().admin();
    }

    /**
     * Not API (its type is Reprise's machinery): for the protocol classes, which make the store and ring at
     * startup, and for tests in this package.
     *
     * @return this connector's session store, key ring and counters (made on first call)
     */
    ResumptionContext resumptionContext() {
        return resumption().context();
    }

    /** @return the connector's Reprise name ({@code resumptionName}) */
    public String name() {
        return resumption().name();
    }

    /** @return where the connector's counters are in JMX (see {@link JmxNames}) */
    public ObjectName metricsName() {
        return JmxNames.of(JmxNames.METRICS, resumption().name(), resumption().settings().node());
    }
}
