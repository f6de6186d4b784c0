package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.SessionQuery;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.store.StoreProvider;

class JdbcStoreProviderTest {

    @TempDir
    Path dir;

    private final Map<String, String> environment = new HashMap<>();
    private final JdbcStoreProvider provider = new JdbcStoreProvider(environment::get);

    @Test
    void theConnectorFindsTheProviderByName() {
        StoreProvider found = ServiceLoader.load(StoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("jdbc")).findFirst().orElseThrow();
        assertTrue(found.attributeNames().containsAll(List.of("jdbcUrl", "jdbcUser", "jdbcPassword",
                "jdbcPasswordFile", "jdbcPoolSize", "jdbcTablePrefix", "jdbcCreateSchema", "dataKeyFile", "dataKeyEnv",
                "dataKeyRollIn", "retrieveBudget", "dataSourceName")));
    }

    @Test
    void withoutADataKeyOpeningSaysWhatToSetAndHowToMakeOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.open(Map.of("jdbcUrl", TestDatabase.H2.url()), "a", new ResumptionMetrics()));

        assertTrue(e.getMessage().contains("dataKeyFile"), e.getMessage());
        assertTrue(e.getMessage().contains("REPRISE_DATA_KEY"), e.getMessage());
        assertTrue(e.getMessage().contains("openssl rand -base64 32"), e.getMessage());
    }

    @Test
    void theDataKeyComesFromAFileOrAnEnvironmentVariable() throws Exception {
        String key = TestKeys.line();
        Path file = keyFile("reprise-data.key", key, "rw-------");
        String expectedId = DataKeys.parse(key).currentKeyId();

        assertEquals(expectedId, provider.config(Map.of("jdbcUrl", "jdbc:h2:mem:x", "dataKeyFile", file.toString()))
                .dataKeys().currentKeyId());
        environment.put("REPRISE_DATA_KEY", key);
        assertEquals(expectedId, provider.config(Map.of("jdbcUrl", "jdbc:h2:mem:x")).dataKeys().currentKeyId());
        environment.put("MY_KEY", key);
        assertEquals(expectedId, provider.config(Map.of("jdbcUrl", "jdbc:h2:mem:x", "dataKeyEnv", "MY_KEY"))
                .dataKeys().currentKeyId());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> provider.config(Map.of("jdbcUrl", "jdbc:h2:mem:x", "dataKeyEnv", "UNSET")));
        assertTrue(missing.getMessage().contains("UNSET"), missing.getMessage());
        IllegalArgumentException unreadable = assertThrows(IllegalArgumentException.class, () -> provider.config(
                Map.of("jdbcUrl", "jdbc:h2:mem:x", "dataKeyFile", dir.resolve("nope.key").toString())));
        assertTrue(unreadable.getMessage().contains("dataKeyFile"), unreadable.getMessage());
    }

    /**
     * A data key file others than its owner may read (here: its group) is how a database backup plus a
     * shared account becomes every secret: the connector does not start, and says which file, which setting
     * and what to run.
     */
    @Test
    void aDataKeyFileItsGroupMayReadStopsStartupSayingWhatToRun() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "a file system with POSIX permissions");
        Path file = keyFile("shared.key", TestKeys.line(), "rw-r-----");
        Map<String, String> attributes = Map.of("jdbcUrl", "jdbc:h2:mem:" + dir.getFileName(),
                "dataKeyFile", file.toString());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> provider.open(attributes, "a", new ResumptionMetrics()));

        for (String expected : List.of("dataKeyFile", file.toString(), "chmod 600 " + file)) {
            assertTrue(refused.getMessage().contains(expected), "no " + expected + " in: " + refused.getMessage());
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        JdbcStores started = provider.open(attributes, "a", new ResumptionMetrics());
        try {
            assertTrue(started.sessionStore().awaitReady(Duration.ofSeconds(30)), "mode 600 starts");
        } finally {
            started.close();
        }
    }

    @Test
    void attributesBecomeTheConfiguration() throws Exception {
        environment.put("REPRISE_DATA_KEY", TestKeys.line());
        Path passwordFile = dir.resolve("db.password");
        Files.writeString(passwordFile, "s3cret\n");

        JdbcStoreConfig config = provider.config(Map.of("jdbcUrl", "jdbc:postgresql://db/reprise", "jdbcUser", "reprise",
                "jdbcPasswordFile", passwordFile.toString(), "jdbcPoolSize", "8", "jdbcTablePrefix", "edge_",
                "jdbcCreateSchema", "false", "retrieveBudget", "20ms", "dataKeyRollIn", "true"));

        assertEquals("jdbc:postgresql://db/reprise", config.jdbcUrl());
        assertEquals("reprise", config.user());
        assertEquals("s3cret", config.password());
        assertEquals(8, config.poolSize());
        assertEquals("edge_", config.tablePrefix());
        assertFalse(config.createSchema());
        assertEquals(Duration.ofMillis(20), config.retrieveBudget());
        assertTrue(config.dataKeyRollIn());
        assertFalse(provider.config(Map.of("jdbcUrl", "jdbc:h2:mem:x")).dataKeyRollIn(), "off unless set");
        assertFalse(config.toString().contains("s3cret"), config.toString());
        assertEquals(Duration.ofMillis(30), provider.config(Map.of("jdbcUrl", "jdbc:h2:mem:x", "retrieveBudget",
                "PT0.03S")).retrieveBudget(), "ISO-8601");
    }

    @Test
    void badValuesNameTheirAttribute() {
        environment.put("REPRISE_DATA_KEY", TestKeys.line());
        assertNamed("retrieveBudget", Map.of("jdbcUrl", "jdbc:h2:mem:x", "retrieveBudget", "soon"));
        assertNamed("retrieveBudget", Map.of("jdbcUrl", "jdbc:h2:mem:x", "retrieveBudget", "1h"));
        assertNamed("jdbcPoolSize", Map.of("jdbcUrl", "jdbc:h2:mem:x", "jdbcPoolSize", "many"));
        assertNamed("jdbcPoolSize", Map.of("jdbcUrl", "jdbc:h2:mem:x", "jdbcPoolSize", "0"));
        assertNamed("jdbcTablePrefix", Map.of("jdbcUrl", "jdbc:h2:mem:x", "jdbcTablePrefix", "x; DROP TABLE y"));
        assertNamed("jdbcTablePrefix", Map.of("jdbcUrl", "jdbc:h2:mem:x", "jdbcTablePrefix", ""));
        // A JNDI name of another scheme would make the naming provider reach another server
        assertNamed("dataSourceName", Map.of("dataSourceName", "ldap://attacker.example/o=reprise"));
        assertNamed("dataSourceName", Map.of("dataSourceName", "rmi://attacker.example/reprise"));
        assertNamed("jdbcCreateSchema", Map.of("jdbcUrl", "jdbc:h2:mem:x", "jdbcCreateSchema", "yes"));
        assertNamed("dataKeyRollIn", Map.of("jdbcUrl", "jdbc:h2:mem:x", "dataKeyRollIn", "maybe"));
        assertNamed("jdbcUrl", Map.of());
        assertNamed("jdbcUrl", Map.of("jdbcUrl", "postgresql://db/reprise"));
        assertNamed("dataSourceName", Map.of("jdbcUrl", "jdbc:h2:mem:x", "dataSourceName", "jdbc/reprise"));
        assertNamed("jdbcPasswordFile", Map.of("jdbcUrl", "jdbc:h2:mem:x", "jdbcPassword", "a",
                "jdbcPasswordFile", "/nope"));
    }

    @Test
    void openingDoesNotWaitForAnUnreachableDatabaseWhichFailsAtFirstUse() {
        environment.put("REPRISE_DATA_KEY", TestKeys.line());
        long started = System.nanoTime();
        try (JdbcStores stores = provider.open(Map.of("jdbcUrl", "jdbc:postgresql://127.0.0.1:1/test"), "a",
                new ResumptionMetrics())) {
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(2)) < 0);
            assertThrows(SessionStoreUnavailableException.class,
                    () -> stores.sessionStore().retrieve(Sessions.newId(), Sessions.now()));
            assertThrows(SessionStoreUnavailableException.class, () -> stores.ticketKeyStore().load());
        }
    }

    @Test
    void aSuppliedDataSourceIsLookedUpAtFirstUseAndLeftOpen() throws Exception {
        Fixture f = Fixture.on(TestDatabase.H2);
        try (f; HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl(TestDatabase.H2.url());
            dataSource.setUsername(TestDatabase.H2.user());
            AtomicInteger lookups = new AtomicInteger();
            JdbcStores stores = JdbcStores.open(JdbcStoreConfig.builder().dataKeys(f.keys).tablePrefix(f.prefix)
                    .dataSource(() -> {
                        lookups.incrementAndGet();
                        return dataSource;
                    }).build(), "a", new ResumptionMetrics());
            SessionRecord record = Sessions.live();
            stores.sessionStore().store(record);
            stores.close();

            assertTrue(lookups.get() >= 1);
            assertFalse(dataSource.isClosed(), "the DataSource belongs to whoever supplied it");
            assertEquals(1, f.node("b").sessionStore().list(SessionQuery.all(), Sessions.now()).total());
        }
    }

    @Test
    void aJndiNameThatIsNotBoundFailsAtFirstUseNotAtOpening() {
        environment.put("REPRISE_DATA_KEY", TestKeys.line());
        try (JdbcStores stores = provider.open(Map.of("dataSourceName", "jdbc/reprise"), null, new ResumptionMetrics())) {
            SessionStoreUnavailableException e = assertThrows(SessionStoreUnavailableException.class,
                    () -> stores.sessionStore().list(SessionQuery.all(), Sessions.now()));
            assertTrue(e.getMessage().contains("jdbc/reprise"), e.getMessage());
        }
    }

    private void assertNamed(String attribute, Map<String, String> attributes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> provider.config(attributes));
        assertTrue(e.getMessage().contains(attribute), attribute + " not named in: " + e.getMessage());
    }

    /** @return a new data key file holding {@code key}, with these permissions where the file system has them */
    private Path keyFile(String name, String key, String permissions) throws Exception {
        Path file = Files.writeString(dir.resolve(name), key + "\n");
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        }
        return file;
    }
}
