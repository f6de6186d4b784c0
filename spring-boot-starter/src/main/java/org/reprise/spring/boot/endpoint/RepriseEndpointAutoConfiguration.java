package org.reprise.spring.boot.endpoint;

import org.reprise.spring.boot.RepriseAutoConfiguration;
import org.reprise.spring.boot.RepriseConnectors;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** The {@code reprise} actuator endpoint, where Spring Boot's actuator is present and the endpoint is available. */
@AutoConfiguration(after = RepriseAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(RepriseConnectors.class)
public class RepriseEndpointAutoConfiguration {

    /** Made by Spring Boot. */
    public RepriseEndpointAutoConfiguration() {
    }

    /**
     * @param connectors the application's Reprise connectors
     * @return the endpoint
     */
    @Bean
    @ConditionalOnAvailableEndpoint
    public RepriseEndpoint repriseEndpoint(RepriseConnectors connectors) {
        return new RepriseEndpoint(connectors);
    }
}
