package org.reprise.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.reprise.store.jdbc.DataKeys;
import org.reprise.store.jdbc.JdbcStoreConfig;
import org.reprise.tomcat.ResumptionSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The {@code reprise.*} properties as the starter turns them into a connector's settings: their defaults are
 * Reprise's, and every value Reprise refuses is reported against the property that holds it.
 */
class ConnectorSettingsFactoryTest {

    /** A data key, as {@code openssl rand -base64 32} prints one. */
    private static final String DATA_KEY = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";

    @TempDir
    Path dir;

    private final ObjectProvider<DataSource> noDataSource =
            new StaticListableBeanFactory().getBeanProvider(DataSource.class);

    private static RepriseProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("reprise", RepriseProperties.class);
    }

    private static @Nullable String environment(String name) {
        return name.equals("REPRISE_DATA_KEY") ? DATA_KEY : null;
    }

    private ConnectorSettingsFactory factory(Map<String, String> values) {
        return new ConnectorSettingsFactory(bind(values), noDataSource, ConnectorSettingsFactoryTest::environment);
    }

    @Test
    void theDefaultsAreReprisesDefaults() {
        ConnectorSettingsFactory.Made made = factory(Map.of()).create();
        assertEquals(ResumptionSettings.defaults().toString(), made.settings().toString());
        assertEquals(null, made.stores());
    }

    @Test
    void theDatabaseDefaultsAreTheJdbcStoresDefaults() {
        String url = "jdbc:postgresql://db:5432/reprise";
        JdbcStoreConfig fromProperties = factory(Map.of()).jdbcConfig(bind(Map.of("reprise.jdbc.url", url)).getJdbc());
        JdbcStoreConfig fromBuilder = JdbcStoreConfig.builder().dataKeys(DataKeys.parse(DATA_KEY)).jdbcUrl(url).build();
        assertEquals(fromBuilder.toString(), fromProperties.toString());
    }

    @Test
    void everyPropertyReachesTheSettings() {
        ResumptionSettings settings = factory(Map.of("reprise.ticket-key-rotation", "6h",
                "reprise.sweep-interval", "2m", "reprise.allow-legacy-resumption", "true", "reprise.node", "n1",
                "reprise.resumption-name", "shop", "reprise.session-mode", "stateless")).create().settings();
        assertEquals("ResumptionSettings[ticketKeyRotation=PT6H, sweepInterval=PT2M, allowLegacyResumption=true,"
                + " engine=bc, sessionMode=STATELESS, resumptionName=shop, node=n1, sessionStore=memory]",
                settings.toString());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "reprise.ticket-key-rotation, 30d, between 1 second and 7 days",
        "reprise.sweep-interval, 0s, between 1 second and 1 day",
        "reprise.node, ' ', must not be blank",
        "reprise.resumption-name, ' ', must not be blank",
        "reprise.engine, nonesuch, names no engine",
        "reprise.engine, ' ', must not be blank",
    })
    void aRefusedValueNamesItsProperty(String property, String value, String why) {
        InvalidConfigurationPropertyValueException e = assertThrows(InvalidConfigurationPropertyValueException.class,
                () -> factory(Map.of(property, value)).create());
        assertEquals(property, e.getName());
        assertTrue(e.getReason().contains(why), e.getReason());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "reprise.jdbc.url, postgres://db/reprise, must start with jdbc:",
        "reprise.jdbc.pool-size, 0, between 1 and 100",
        "reprise.jdbc.connection-timeout, 10ms, at least 250ms",
        "reprise.jdbc.table-prefix, Sessions, lower-case letters",
        "reprise.jdbc.max-sessions, 0, at least 1",
        "reprise.jdbc.retrieve-budget, 1m, between 1ms and 10s",
        "reprise.jdbc.write-queue-capacity, 0, at least 1",
        "reprise.jdbc.cache-size, 0, at least 1",
        "reprise.jdbc.purge-poll-interval, 5s, between 10ms and 1s",
        "reprise.jdbc.data-key-env, NO_SUCH_VARIABLE, NO_SUCH_VARIABLE is not set",
        "reprise.jdbc.data-key-file, /no/such/reprise-data.key, no data key read from the file",
    })
    void aRefusedDatabaseValueNamesItsProperty(String property, String value, String why) {
        Map<String, String> values = new HashMap<>(Map.of("reprise.store", "jdbc",
                "reprise.jdbc.url", "jdbc:postgresql://db:5432/reprise"));
        values.put(property, value);
        InvalidConfigurationPropertyValueException e = assertThrows(InvalidConfigurationPropertyValueException.class,
                () -> factory(values).create());
        assertEquals(property, e.getName());
        assertTrue(e.getReason().contains(why), e.getReason());
    }

    @Test
    void theDatabaseNeedsAUrlOrTheApplicationsDataSource() {
        InvalidConfigurationPropertyValueException noUrl = assertThrows(
                InvalidConfigurationPropertyValueException.class,
                () -> factory(Map.of("reprise.store", "jdbc")).create());
        assertEquals("reprise.jdbc.url", noUrl.getName());

        InvalidConfigurationPropertyValueException noDataSource = assertThrows(
                InvalidConfigurationPropertyValueException.class,
                () -> factory(Map.of("reprise.store", "jdbc", "reprise.jdbc.use-application-datasource", "true"))
                        .create());
        assertEquals("reprise.jdbc.use-application-datasource", noDataSource.getName());

        InvalidConfigurationPropertyValueException both = assertThrows(InvalidConfigurationPropertyValueException.class,
                () -> factory(Map.of("reprise.store", "jdbc", "reprise.jdbc.use-application-datasource", "true",
                        "reprise.jdbc.url", "jdbc:postgresql://db:5432/reprise")).create());
        assertEquals("reprise.jdbc.url", both.getName());
    }

    @Test
    void thePasswordComesFromTheFileOrTheProperty() throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "s3cret\n");
        Map<String, String> values = new HashMap<>(Map.of("reprise.jdbc.url", "jdbc:postgresql://db:5432/reprise",
                "reprise.jdbc.password-file", file.toString()));
        assertEquals("s3cret", factory(values).jdbcConfig(bind(values).getJdbc()).password());

        values.put("reprise.jdbc.password", "other");
        InvalidConfigurationPropertyValueException both = assertThrows(InvalidConfigurationPropertyValueException.class,
                () -> factory(values).jdbcConfig(bind(values).getJdbc()));
        assertEquals("reprise.jdbc.password-file", both.getName());
    }
}
