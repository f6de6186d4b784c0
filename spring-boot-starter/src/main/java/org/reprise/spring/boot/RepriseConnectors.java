package org.reprise.spring.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.connector.Connector;
import org.reprise.tomcat.Http11NioResumptionProtocol;
import org.reprise.tomcat.ResumptionSslImplementation;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * The application's Reprise connectors, known once its web servers have started: what the {@code reprise}
 * actuator endpoint lists and purges. Each is found by its Reprise name ({@code reprise.resumption-name}, else
 * Tomcat's connector name, such as {@code https-jsse-nio-8443}).
 */
public final class RepriseConnectors implements ApplicationListener<WebServerInitializedEvent> {

    private final CopyOnWriteArrayList<ResumptionSslImplementation> started = new CopyOnWriteArrayList<>();

    /** Made by the auto-configuration. */
    RepriseConnectors() {
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        started.addAllAbsent(of(event.getWebServer()));
    }

    /** @return the Reprise connectors of every web server started so far, in the order they started */
    public List<ResumptionSslImplementation> all() {
        return List.copyOf(started);
    }

    /**
     * @param name a connector's Reprise name
     * @return that connector, if it has started
     */
    public Optional<ResumptionSslImplementation> named(String name) {
        return started.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * @param server a started web server
     * @return its connectors that serve HTTPS through Reprise's protocol: none unless it is a Tomcat
     */
    public static List<ResumptionSslImplementation> of(WebServer server) {
        if (!(server instanceof TomcatWebServer tomcat)) {
            return List.of();
        }
        List<ResumptionSslImplementation> found = new ArrayList<>();
        for (Connector connector : tomcat.getTomcat().getService().findConnectors()) {
            if (connector.getProtocolHandler() instanceof Http11NioResumptionProtocol reprise
                    && reprise.isSSLEnabled()) {
                found.add(reprise.resumption());
            }
        }
        return found;
    }
}
