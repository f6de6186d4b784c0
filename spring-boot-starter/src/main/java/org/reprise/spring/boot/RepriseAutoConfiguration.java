package org.reprise.spring.boot;

import javax.sql.DataSource;
import org.apache.catalina.startup.Tomcat;
import org.reprise.tomcat.Http11NioResumptionProtocol;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.context.annotation.Bean;

/**
 * Reprise for a web application on Spring Boot's embedded Tomcat: when it serves HTTPS, its HTTPS connector runs
 * through Reprise with the {@code reprise.*} settings. {@code reprise.enabled=false} turns it off.
 */
@AutoConfiguration
@ConditionalOnClass({Tomcat.class, TomcatWebServerFactory.class, Http11NioResumptionProtocol.class})
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty(name = "reprise.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RepriseProperties.class)
public class RepriseAutoConfiguration {

    /** Made by Spring Boot. */
    public RepriseAutoConfiguration() {
    }

    @Bean
    ResumptionConnectorCustomizer repriseConnectorCustomizer(RepriseProperties properties,
            ObjectProvider<DataSource> dataSource) {
        return new ResumptionConnectorCustomizer(new ConnectorSettingsFactory(properties, dataSource, System::getenv));
    }

    /** @return the application's Reprise connectors, once its web servers have started */
    @Bean
    public RepriseConnectors repriseConnectors() {
        return new RepriseConnectors();
    }
}
