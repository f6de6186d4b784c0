package org.reprise.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.sql.DataSource;
import org.apache.coyote.http11.Http11Nio2Protocol;
import org.junit.jupiter.api.Test;
import org.reprise.tomcat.Http11NioResumptionProtocol;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Ssl;

/** Which of Spring Boot's web servers the starter takes over: those that serve HTTPS on Tomcat's NIO protocol. */
class ResumptionConnectorCustomizerTest {

    private final ResumptionConnectorCustomizer customizer = new ResumptionConnectorCustomizer(
            new ConnectorSettingsFactory(new RepriseProperties(),
                    new StaticListableBeanFactory().getBeanProvider(DataSource.class), name -> null));

    @Test
    void aServerWithoutHttpsKeepsTomcatsProtocol() {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
        customizer.customize(factory);
        assertEquals(TomcatWebServerFactory.DEFAULT_PROTOCOL, factory.getProtocol());
        assertTrue(factory.getConnectorCustomizers().isEmpty());
    }

    @Test
    void anHttpsServerGetsReprisesProtocolAndSettings() {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
        factory.setSsl(Ssl.forBundle("server"));
        customizer.customize(factory);
        assertEquals(Http11NioResumptionProtocol.class.getName(), factory.getProtocol());
        assertEquals(1, factory.getConnectorCustomizers().size());
    }

    @Test
    void anotherProtocolIsRefusedRatherThanReplacedSilently() {
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
        factory.setSsl(Ssl.forBundle("server"));
        factory.setProtocol(Http11Nio2Protocol.class.getName());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> customizer.customize(factory));
        assertTrue(e.getMessage().contains("reprise.enabled=false"), e.getMessage());
    }
}
