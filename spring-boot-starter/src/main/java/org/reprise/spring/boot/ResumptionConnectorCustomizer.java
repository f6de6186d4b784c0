package org.reprise.spring.boot;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.reprise.store.jdbc.JdbcStores;
import org.reprise.tomcat.Http11NioResumptionProtocol;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Runs the HTTPS connector that Spring Boot makes for {@code server.ssl.*} through Reprise: the connector gets
 * Reprise's protocol class and the {@code reprise.*} settings, while Spring Boot configures its certificate,
 * protocols and ciphers as it does without Reprise. A web server without HTTPS is left alone. Closes the
 * session database it opened when the application stops, after the web server.
 */
final class ResumptionConnectorCustomizer
        implements WebServerFactoryCustomizer<TomcatWebServerFactory>, Ordered, DisposableBean {

    private static final Log log = LogFactory.getLog(ResumptionConnectorCustomizer.class);

    private final ConnectorSettingsFactory settings;
    private final List<JdbcStores> opened = new CopyOnWriteArrayList<>();

    ResumptionConnectorCustomizer(ConnectorSettingsFactory settings) {
        this.settings = settings;
    }

    @Override
    public void customize(TomcatWebServerFactory factory) {
        if (!Ssl.isEnabled(factory.getSsl())) {
            log.info("Reprise leaves this web server alone: it does not serve HTTPS (no server.ssl.* or"
                    + " server.ssl.bundle)");
            return;
        }
        String protocol = factory.getProtocol();
        if (!protocol.equals(TomcatWebServerFactory.DEFAULT_PROTOCOL)
                && !protocol.equals(Http11NioResumptionProtocol.class.getName())) {
            throw new IllegalStateException("Reprise runs Tomcat's NIO protocol ("
                    + TomcatWebServerFactory.DEFAULT_PROTOCOL + "), but this web server is set to " + protocol
                    + "; drop that setting, or set reprise.enabled=false to serve HTTPS without Reprise");
        }
        ConnectorSettingsFactory.Made made = settings.create();
        if (made.stores() != null) {
            opened.add(made.stores());
        }
        factory.setProtocol(Http11NioResumptionProtocol.class.getName());
        factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof Http11NioResumptionProtocol reprise) {
                reprise.configure(made.settings());
            }
        });
    }

    /** After Spring Boot's own customizers, which hand the factory {@code server.ssl.*}. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void destroy() {
        opened.forEach(JdbcStores::close);
        opened.clear();
    }
}
