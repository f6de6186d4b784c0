package org.reprise.spring.boot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.store.jdbc.DataKeys;
import org.reprise.store.jdbc.JdbcStoreConfig;
import org.reprise.store.jdbc.JdbcStores;
import org.reprise.tomcat.Engines;
import org.reprise.tomcat.ResumptionSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns the {@code reprise.*} properties into a connector's {@link ResumptionSettings}, opening the session
 * database for {@code reprise.store=jdbc}. Each value is checked by the builder that owns its rule, alone, so that
 * a bad one stops startup with Spring Boot's failure analysis naming the property, its value and where it was set
 * ({@link InvalidConfigurationPropertyValueException}).
 */
final class ConnectorSettingsFactory {

    private static final String MAKE_A_KEY = "make a key with: openssl rand -base64 32 > reprise-data.key; "
            + "chmod 600 reprise-data.key";

    private final RepriseProperties properties;
    private final ObjectProvider<DataSource> applicationDataSource;
    private final UnaryOperator<@Nullable String> environment;

    /**
     * @param properties            the bound {@code reprise.*} properties
     * @param applicationDataSource the application's DataSource, for {@code reprise.jdbc.use-application-datasource}
     * @param environment           looks environment variables up (the data keys' {@code data-key-env})
     */
    ConnectorSettingsFactory(RepriseProperties properties, ObjectProvider<DataSource> applicationDataSource,
            UnaryOperator<@Nullable String> environment) {
        this.properties = properties;
        this.applicationDataSource = applicationDataSource;
        this.environment = environment;
    }

    /** The settings for one connector, and the database stores opened for them, which the caller closes. */
    record Made(ResumptionSettings settings, @Nullable JdbcStores stores) {
    }

    /**
     * @return the settings the properties describe
     * @throws InvalidConfigurationPropertyValueException naming the first property whose value Reprise refuses
     */
    Made create() {
        RepriseProperties p = properties;
        check("reprise.ticket-key-rotation", p.getTicketKeyRotation(),
                () -> ResumptionSettings.builder().ticketKeyRotation(p.getTicketKeyRotation()).build());
        check("reprise.sweep-interval", p.getSweepInterval(),
                () -> ResumptionSettings.builder().sweepInterval(p.getSweepInterval()).build());
        check("reprise.node", p.getNode(), () -> ResumptionSettings.builder().node(p.getNode()).build());
        check("reprise.resumption-name", p.getResumptionName(),
                () -> ResumptionSettings.builder().resumptionName(p.getResumptionName()).build());
        // the engine is looked for now, so that a missing jar or an old Java is reported against the property
        // rather than as a connector that does not start
        check("reprise.engine", p.getEngine(),
                () -> Engines.find(ResumptionSettings.builder().engine(p.getEngine()).build().engine()));
        ResumptionSettings.Builder settings = ResumptionSettings.builder()
                .ticketKeyRotation(p.getTicketKeyRotation())
                .sweepInterval(p.getSweepInterval())
                .allowLegacyResumption(p.isAllowLegacyResumption())
                .node(p.getNode())
                .resumptionName(p.getResumptionName())
                .engine(p.getEngine())
                .sessionMode(p.getSessionMode());
        if (p.getStore() == RepriseProperties.Store.MEMORY) {
            return new Made(settings.build(), null);
        }
        // the store and the connector count into the same counters
        ResumptionMetrics metrics = new ResumptionMetrics();
        JdbcStores stores = JdbcStores.open(jdbcConfig(p.getJdbc()), p.getNode(), metrics);
        return new Made(settings.metrics(metrics).sessionStore(stores.sessionStore())
                .ticketKeyStore(stores.ticketKeyStore()).build(), stores);
    }

    /** @return the database configuration {@code reprise.jdbc.*} describes, each value checked */
    JdbcStoreConfig jdbcConfig(RepriseProperties.Jdbc j) {
        DataKeys keys = dataKeys(j);
        String url = j.getUrl();
        @Nullable Supplier<DataSource> dataSource = null;
        if (j.isUseApplicationDatasource()) {
            if (url != null) {
                throw new InvalidConfigurationPropertyValueException("reprise.jdbc.url", url, "reprise.jdbc.url and"
                        + " reprise.jdbc.use-application-datasource=true exclude each other: set one");
            }
            DataSource application = applicationDataSource.getIfAvailable();
            if (application == null) {
                throw new InvalidConfigurationPropertyValueException("reprise.jdbc.use-application-datasource", true,
                        "the application has no DataSource: configure spring.datasource.* (with"
                                + " spring-boot-starter-jdbc), or give Reprise its own with reprise.jdbc.url");
            }
            dataSource = () -> application;
        } else if (url == null) {
            throw new InvalidConfigurationPropertyValueException("reprise.jdbc.url", null, "reprise.store=jdbc needs"
                    + " reprise.jdbc.url (for example jdbc:postgresql://db:5432/reprise), or"
                    + " reprise.jdbc.use-application-datasource=true to keep sessions in the application's DataSource");
        }
        @Nullable Supplier<DataSource> source = dataSource;
        Supplier<JdbcStoreConfig.Builder> base = () -> JdbcStoreConfig.builder().dataKeys(keys).jdbcUrl(url)
                .dataSource(source);
        check("reprise.jdbc.url", url, () -> base.get().build());
        check("reprise.jdbc.pool-size", j.getPoolSize(), () -> base.get().poolSize(j.getPoolSize()).build());
        check("reprise.jdbc.connection-timeout", j.getConnectionTimeout(),
                () -> base.get().connectionTimeout(j.getConnectionTimeout()).build());
        check("reprise.jdbc.table-prefix", j.getTablePrefix(),
                () -> base.get().tablePrefix(j.getTablePrefix()).build());
        check("reprise.jdbc.max-sessions", j.getMaxSessions(),
                () -> base.get().maxSessions(j.getMaxSessions()).build());
        check("reprise.jdbc.retrieve-budget", j.getRetrieveBudget(),
                () -> base.get().retrieveBudget(j.getRetrieveBudget()).build());
        check("reprise.jdbc.write-queue-capacity", j.getWriteQueueCapacity(),
                () -> base.get().writeQueueCapacity(j.getWriteQueueCapacity()).build());
        check("reprise.jdbc.cache-size", j.getCacheSize(), () -> base.get().cacheSize(j.getCacheSize()).build());
        check("reprise.jdbc.purge-poll-interval", j.getPurgePollInterval(),
                () -> base.get().purgePollInterval(j.getPurgePollInterval()).build());
        return base.get()
                .user(j.getUsername())
                .password(password(j))
                .poolSize(j.getPoolSize())
                .connectionTimeout(j.getConnectionTimeout())
                .tablePrefix(j.getTablePrefix())
                .createSchema(j.isCreateSchema())
                .maxSessions(j.getMaxSessions())
                .dataKeyRollIn(j.isDataKeyRollIn())
                .retrieveBudget(j.getRetrieveBudget())
                .writeQueueCapacity(j.getWriteQueueCapacity())
                .cacheSize(j.getCacheSize())
                .purgePollInterval(j.getPurgePollInterval())
                .build();
    }

    private DataKeys dataKeys(RepriseProperties.Jdbc j) {
        Path file = j.getDataKeyFile();
        if (file != null) {
            try {
                return DataKeys.fromFile(file);
            } catch (IOException | IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException("reprise.jdbc.data-key-file", file,
                        "no data key read from the file: " + e.getMessage() + "; " + MAKE_A_KEY);
            }
        }
        String variable = j.getDataKeyEnv();
        String text = environment.apply(variable);
        if (text == null || text.isBlank()) {
            throw new InvalidConfigurationPropertyValueException("reprise.jdbc.data-key-env", variable,
                    "Reprise's JDBC store encrypts secrets at rest and has no data key: the environment variable "
                            + variable + " is not set; set it, or reprise.jdbc.data-key-file to a key file; "
                            + MAKE_A_KEY);
        }
        try {
            return DataKeys.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationPropertyValueException("reprise.jdbc.data-key-env", variable,
                    "the data key in the environment variable " + variable + ": " + e.getMessage());
        }
    }

    private static @Nullable String password(RepriseProperties.Jdbc j) {
        Path file = j.getPasswordFile();
        if (file == null) {
            return j.getPassword();
        }
        if (j.getPassword() != null) {
            throw new InvalidConfigurationPropertyValueException("reprise.jdbc.password-file", file,
                    "reprise.jdbc.password and reprise.jdbc.password-file exclude each other: set one");
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
        } catch (IOException e) {
            throw new InvalidConfigurationPropertyValueException("reprise.jdbc.password-file", file,
                    "cannot read the file (" + e + ")");
        }
    }

    /** Runs one property's rule; a refusal becomes Spring Boot's report of a bad property value. */
    private static void check(String property, @Nullable Object value, Runnable rule) {
        try {
            rule.run();
        } catch (IllegalArgumentException | IllegalStateException refused) {
            throw new InvalidConfigurationPropertyValueException(property, value, refused.getMessage());
        }
    }
}
