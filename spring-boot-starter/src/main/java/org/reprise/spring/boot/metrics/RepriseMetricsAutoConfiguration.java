package org.reprise.spring.boot.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.reprise.spring.boot.RepriseAutoConfiguration;
import org.reprise.spring.boot.RepriseConnectors;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Reprise's counters as Micrometer meters, where the application has a {@link MeterRegistry} (Spring Boot's
 * actuator makes one): they appear in {@code /actuator/metrics}, {@code /actuator/prometheus} and every registry.
 */
@AutoConfiguration(after = RepriseAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, RepriseConnectors.class})
public class RepriseMetricsAutoConfiguration {

    /** Made by Spring Boot. */
    public RepriseMetricsAutoConfiguration() {
    }

    @Bean
    ResumptionMeters repriseResumptionMeters(MeterRegistry registry) {
        return new ResumptionMeters(registry);
    }
}
