package org.reprise.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.reprise.tomcat.SessionMode;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Reprise's settings for a Spring Boot application's HTTPS connector, under {@code reprise.*}: one property for
 * each server.xml attribute of a Reprise connector (docs/SETTINGS.md puts them side by side). The certificate is
 * not here: it comes from {@code server.ssl.*} or an SSL bundle, as without Reprise. The defaults are Reprise's
 * own ({@code PropertyDefaultsTest} holds them to the code).
 */
@ConfigurationProperties("reprise")
public class RepriseProperties {

    /** Where sessions and ticket keys live. */
    public enum Store {
        /** In this JVM. */
        MEMORY,
        /** In a database shared by every node of a cluster ({@code reprise.jdbc.*}). */
        JDBC
    }

    /** Whether the HTTPS connector runs through Reprise; false leaves it as Spring Boot makes it. */
    private boolean enabled = true;

    /**
     * The engine that runs the handshakes: bc (Bouncy Castle, pure Java, TLS 1.2 resumption) or openssl
     * (Reprise's engine over OpenSSL 3: TLS 1.2 and 1.3 resumption; Java 22+ and the reprise-connector-openssl
     * jar). server.xml: resumptionEngine.
     */
    private String engine = "bc";

    /** Where sessions and ticket keys live: memory (this JVM) or jdbc (reprise.jdbc.*). server.xml: store. */
    private Store store = Store.MEMORY;

    /**
     * How long each ticket key seals new tickets before a fresh key takes over; from 1 second to 7 days.
     * server.xml: ticketKeyRotation.
     */
    private Duration ticketKeyRotation = Duration.ofHours(12);

    /** How often expired sessions are deleted from the store; from 1 second to 1 day. server.xml: sweepInterval. */
    private Duration sweepInterval = Duration.ofSeconds(60);

    /**
     * Whether a session made without the extended master secret (RFC 7627) may resume when the client does not
     * offer it either. server.xml: allowLegacyResumption.
     */
    private boolean allowLegacyResumption;

    /** This server's name in a cluster, written on every session it makes. server.xml: node. */
    private @Nullable String node;

    /**
     * OpenSSL engine only: stateful (every session in the store, listable and purgeable one by one) or stateless
     * (tickets only). server.xml: sessionMode.
     */
    private SessionMode sessionMode = SessionMode.STATEFUL;

    /**
     * The connector's name in metrics, JMX and the actuator endpoint, and the realm its sessions belong to: the
     * nodes of one cluster share it. Unset: Tomcat's connector name. server.xml: resumptionName.
     */
    private @Nullable String resumptionName;

    /** The session database, with {@code reprise.store=jdbc}. */
    private final Jdbc jdbc = new Jdbc();

    /** @return whether the HTTPS connector runs through Reprise */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the HTTPS connector runs through Reprise */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the engine's name */
    public String getEngine() {
        return engine;
    }

    /** @param engine the engine's name */
    public void setEngine(String engine) {
        this.engine = engine;
    }

    /** @return where sessions and ticket keys live */
    public Store getStore() {
        return store;
    }

    /** @param store where sessions and ticket keys live */
    public void setStore(Store store) {
        this.store = store;
    }

    /** @return how long each ticket key seals new tickets */
    public Duration getTicketKeyRotation() {
        return ticketKeyRotation;
    }

    /** @param ticketKeyRotation how long each ticket key seals new tickets */
    public void setTicketKeyRotation(Duration ticketKeyRotation) {
        this.ticketKeyRotation = ticketKeyRotation;
    }

    /** @return how often expired sessions are deleted */
    public Duration getSweepInterval() {
        return sweepInterval;
    }

    /** @param sweepInterval how often expired sessions are deleted */
    public void setSweepInterval(Duration sweepInterval) {
        this.sweepInterval = sweepInterval;
    }

    /** @return whether sessions without the extended master secret may resume */
    public boolean isAllowLegacyResumption() {
        return allowLegacyResumption;
    }

    /** @param allowLegacyResumption whether sessions without the extended master secret may resume */
    public void setAllowLegacyResumption(boolean allowLegacyResumption) {
        this.allowLegacyResumption = allowLegacyResumption;
    }

    /** @return this server's name in a cluster, or null */
    public @Nullable String getNode() {
        return node;
    }

    /** @param node this server's name in a cluster, or null */
    public void setNode(@Nullable String node) {
        this.node = node;
    }

    /** @return where the OpenSSL engine keeps sessions */
    public SessionMode getSessionMode() {
        return sessionMode;
    }

    /** @param sessionMode where the OpenSSL engine keeps sessions */
    public void setSessionMode(SessionMode sessionMode) {
        this.sessionMode = sessionMode;
    }

    /** @return the connector's Reprise name, or null for Tomcat's connector name */
    public @Nullable String getResumptionName() {
        return resumptionName;
    }

    /** @param resumptionName the connector's Reprise name, or null for Tomcat's connector name */
    public void setResumptionName(@Nullable String resumptionName) {
        this.resumptionName = resumptionName;
    }

    /** @return the session database's settings */
    public Jdbc getJdbc() {
        return jdbc;
    }

    /**
     * The session database ({@code reprise.store=jdbc}): the application's own DataSource or a pool Reprise makes
     * from a URL, and the data keys that encrypt its secrets at rest.
     */
    public static class Jdbc {

        /**
         * Whether to keep sessions in the application's own DataSource (spring.datasource.*) instead of a pool
         * Reprise makes from reprise.jdbc.url; Reprise never closes it.
         */
        private boolean useApplicationDatasource;

        /**
         * JDBC URL of the pool Reprise makes, e.g. jdbc:postgresql://db:5432/reprise; required unless
         * reprise.jdbc.use-application-datasource. The driver is the application's to add. server.xml: jdbcUrl.
         */
        private @Nullable String url;

        /** Database user of the pool Reprise makes. server.xml: jdbcUser. */
        private @Nullable String username;

        /** Database password of the pool Reprise makes. server.xml: jdbcPassword. */
        private @Nullable String password;

        /**
         * A file whose first line is the database password; excludes reprise.jdbc.password.
         * server.xml: jdbcPasswordFile.
         */
        private @Nullable Path passwordFile;

        /** Most pooled connections (1 to 100); lookups run on as many threads. server.xml: jdbcPoolSize. */
        private int poolSize = 4;

        /** How long to wait for a pooled connection, at least 250ms. Builder: connectionTimeout. */
        private Duration connectionTimeout = Duration.ofMillis(250);

        /** What every table name starts with: [a-z][a-z0-9_]*, at most 30 characters. server.xml: jdbcTablePrefix. */
        private String tablePrefix = "reprise_";

        /** Whether to create or upgrade the schema at the first connection. server.xml: jdbcCreateSchema. */
        private boolean createSchema = true;

        /**
         * How many session rows the table may hold, at least 1: past it new sessions are not written.
         * server.xml: jdbcMaxSessions.
         */
        private long maxSessions = 10000000L;

        /** The data key file; refused if its group or others may use it (chmod 600). server.xml: dataKeyFile. */
        private @Nullable Path dataKeyFile;

        /**
         * The environment variable holding the data keys, read when there is no data-key-file.
         * server.xml: dataKeyEnv.
         */
        private String dataKeyEnv = "REPRISE_DATA_KEY";

        /**
         * Whether this node may start although its data keys open none of the rows in use (a new data key being
         * rolled in). server.xml: dataKeyRollIn.
         */
        private boolean dataKeyRollIn;

        /**
         * The longest a handshake waits for a lookup, 1ms to 10s; then it does a full handshake.
         * server.xml: retrieveBudget.
         */
        private Duration retrieveBudget = Duration.ofMillis(50);

        /** Session writes that may wait for the database, at least 1. Builder: writeQueueCapacity. */
        private int writeQueueCapacity = 10000;

        /** Sessions cached on this node, at least 1. Builder: cacheSize. */
        private int cacheSize = 10000;

        /** How often each node looks for purges, 10ms to 1s. Builder: purgePollInterval. */
        private Duration purgePollInterval = Duration.ofMillis(250);

        /** @return whether to use the application's DataSource */
        public boolean isUseApplicationDatasource() {
            return useApplicationDatasource;
        }

        /** @param useApplicationDatasource whether to use the application's DataSource */
        public void setUseApplicationDatasource(boolean useApplicationDatasource) {
            this.useApplicationDatasource = useApplicationDatasource;
        }

        /** @return the JDBC URL, or null */
        public @Nullable String getUrl() {
            return url;
        }

        /** @param url the JDBC URL, or null */
        public void setUrl(@Nullable String url) {
            this.url = url;
        }

        /** @return the database user, or null */
        public @Nullable String getUsername() {
            return username;
        }

        /** @param username the database user, or null */
        public void setUsername(@Nullable String username) {
            this.username = username;
        }

        /** @return the database password, or null */
        public @Nullable String getPassword() {
            return password;
        }

        /** @param password the database password, or null */
        public void setPassword(@Nullable String password) {
            this.password = password;
        }

        /** @return the file holding the database password, or null */
        public @Nullable Path getPasswordFile() {
            return passwordFile;
        }

        /** @param passwordFile the file holding the database password, or null */
        public void setPasswordFile(@Nullable Path passwordFile) {
            this.passwordFile = passwordFile;
        }

        /** @return the most pooled connections */
        public int getPoolSize() {
            return poolSize;
        }

        /** @param poolSize the most pooled connections */
        public void setPoolSize(int poolSize) {
            this.poolSize = poolSize;
        }

        /** @return how long to wait for a pooled connection */
        public Duration getConnectionTimeout() {
            return connectionTimeout;
        }

        /** @param connectionTimeout how long to wait for a pooled connection */
        public void setConnectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
        }

        /** @return what every table name starts with */
        public String getTablePrefix() {
            return tablePrefix;
        }

        /** @param tablePrefix what every table name starts with */
        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        /** @return whether to create or upgrade the schema */
        public boolean isCreateSchema() {
            return createSchema;
        }

        /** @param createSchema whether to create or upgrade the schema */
        public void setCreateSchema(boolean createSchema) {
            this.createSchema = createSchema;
        }

        /** @return how many session rows the table may hold */
        public long getMaxSessions() {
            return maxSessions;
        }

        /** @param maxSessions how many session rows the table may hold */
        public void setMaxSessions(long maxSessions) {
            this.maxSessions = maxSessions;
        }

        /** @return the data key file, or null */
        public @Nullable Path getDataKeyFile() {
            return dataKeyFile;
        }

        /** @param dataKeyFile the data key file, or null */
        public void setDataKeyFile(@Nullable Path dataKeyFile) {
            this.dataKeyFile = dataKeyFile;
        }

        /** @return the environment variable holding the data keys */
        public String getDataKeyEnv() {
            return dataKeyEnv;
        }

        /** @param dataKeyEnv the environment variable holding the data keys */
        public void setDataKeyEnv(String dataKeyEnv) {
            this.dataKeyEnv = dataKeyEnv;
        }

        /** @return whether this node may roll in a new data key */
        public boolean isDataKeyRollIn() {
            return dataKeyRollIn;
        }

        /** @param dataKeyRollIn whether this node may roll in a new data key */
        public void setDataKeyRollIn(boolean dataKeyRollIn) {
            this.dataKeyRollIn = dataKeyRollIn;
        }

        /** @return the longest a handshake waits for a lookup */
        public Duration getRetrieveBudget() {
            return retrieveBudget;
        }

        /** @param retrieveBudget the longest a handshake waits for a lookup */
        public void setRetrieveBudget(Duration retrieveBudget) {
            this.retrieveBudget = retrieveBudget;
        }

        /** @return how many session writes may wait */
        public int getWriteQueueCapacity() {
            return writeQueueCapacity;
        }

        /** @param writeQueueCapacity how many session writes may wait */
        public void setWriteQueueCapacity(int writeQueueCapacity) {
            this.writeQueueCapacity = writeQueueCapacity;
        }

        /** @return how many sessions this node caches */
        public int getCacheSize() {
            return cacheSize;
        }

        /** @param cacheSize how many sessions this node caches */
        public void setCacheSize(int cacheSize) {
            this.cacheSize = cacheSize;
        }

        /** @return how often this node looks for purges */
        public Duration getPurgePollInterval() {
            return purgePollInterval;
        }

        /** @param purgePollInterval how often this node looks for purges */
        public void setPurgePollInterval(Duration purgePollInterval) {
            this.purgePollInterval = purgePollInterval;
        }
    }
}
