package org.reprise.store.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * How to open {@link JdbcStores}: where the database is (a JDBC URL for a pool Reprise owns, or a
 * DataSource someone else owns), the data keys, and the time and size limits. Immutable; build with
 * {@link #builder()}. Error messages name the server.xml attribute in parentheses where there is one.
 */
public final class JdbcStoreConfig {

    /** The default {@link #maxSessions()}: room for a busy cluster's day, well short of filling a disk. */
    public static final long DEFAULT_MAX_SESSIONS = 10_000_000L;

    /** The least connection timeout HikariCP accepts. */
    public static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
    /** The longest purge poll interval: purges must reach every node within a second. */
    public static final Duration MAX_PURGE_POLL_INTERVAL = Duration.ofSeconds(1);

    private static final Pattern TABLE_PREFIX = Pattern.compile("[a-z][a-z0-9_]*");
    private static final int MAX_TABLE_PREFIX = 30;

    private final @Nullable String jdbcUrl;
    private final @Nullable String user;
    private final @Nullable String password;
    private final @Nullable Supplier<DataSource> dataSource;
    private final int poolSize;
    private final Duration connectionTimeout;
    private final String tablePrefix;
    private final boolean createSchema;
    private final DataKeys dataKeys;
    private final boolean dataKeyRollIn;
    private final Duration retrieveBudget;
    private final int writeQueueCapacity;
    private final int cacheSize;
    private final long maxSessions;
    private final Duration purgePollInterval;
    private final Clock clock;

    private JdbcStoreConfig(Builder b) {
        this.jdbcUrl = b.jdbcUrl;
        this.user = b.user;
        this.password = b.password;
        this.dataSource = b.dataSource;
        this.poolSize = b.poolSize;
        this.connectionTimeout = b.connectionTimeout;
        this.tablePrefix = b.tablePrefix;
        this.createSchema = b.createSchema;
        this.dataKeys = Objects.requireNonNull(b.dataKeys);
        this.dataKeyRollIn = b.dataKeyRollIn;
        this.retrieveBudget = b.retrieveBudget;
        this.writeQueueCapacity = b.writeQueueCapacity;
        this.cacheSize = b.cacheSize;
        this.maxSessions = b.maxSessions;
        this.purgePollInterval = b.purgePollInterval;
        this.clock = b.clock;
    }

    /** @return a builder with the defaults; set the data keys and a URL or DataSource */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the JDBC URL of the pool Reprise makes, or null when a DataSource is supplied */
    public @Nullable String jdbcUrl() {
        return jdbcUrl;
    }

    /** @return the database user, or null to let the URL or driver decide */
    public @Nullable String user() {
        return user;
    }

    /** @return the database password, or null */
    public @Nullable String password() {
        return password;
    }

    /** @return the supplier of someone else's DataSource, called at first use; null with a URL */
    public @Nullable Supplier<DataSource> dataSource() {
        return dataSource;
    }

    /** @return the most connections in Reprise's pool */
    public int poolSize() {
        return poolSize;
    }

    /** @return how long a call waits for a pooled connection before failing */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** @return what every table name starts with */
    public String tablePrefix() {
        return tablePrefix;
    }

    /** @return whether the schema is created or upgraded at first connection */
    public boolean createSchema() {
        return createSchema;
    }

    /** @return the keys that encrypt secrets at rest */
    public DataKeys dataKeys() {
        return dataKeys;
    }

    /**
     * @return whether this node may start although its data keys open none of the rows in use (its key is a
     *         new one being rolled in); see {@link Builder#dataKeyRollIn}
     */
    public boolean dataKeyRollIn() {
        return dataKeyRollIn;
    }

    /** @return how long a handshake waits for a database lookup before resuming nothing */
    public Duration retrieveBudget() {
        return retrieveBudget;
    }

    /** @return how many session writes may wait for the database before new ones are dropped */
    public int writeQueueCapacity() {
        return writeQueueCapacity;
    }

    /** @return how many sessions this node keeps in memory in front of the database */
    public int cacheSize() {
        return cacheSize;
    }

    /** @return how many session rows the table may hold; past it, new sessions are not written */
    public long maxSessions() {
        return maxSessions;
    }

    /** @return how often this node looks for purges made on other nodes */
    public Duration purgePollInterval() {
        return purgePollInterval;
    }

    /** @return where the store reads the time it records (purges, schema steps) */
    public Clock clock() {
        return clock;
    }

    /** @return the settings; never the password, never key material */
    @Override
    public String toString() {
        return "JdbcStoreConfig[" + (jdbcUrl != null ? "jdbcUrl=" + OutageLog.redact(jdbcUrl) : "dataSource")
                + ", user=" + user + ", poolSize=" + poolSize + ", connectionTimeout=" + connectionTimeout
                + ", tablePrefix=" + tablePrefix + ", createSchema=" + createSchema + ", dataKeys=" + dataKeys
                + ", dataKeyRollIn=" + dataKeyRollIn
                + ", retrieveBudget=" + retrieveBudget + ", writeQueueCapacity=" + writeQueueCapacity
                + ", cacheSize=" + cacheSize + ", maxSessions=" + maxSessions + ", purgePollInterval=" + purgePollInterval + "]";
    }

    /** Builds a {@link JdbcStoreConfig}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String jdbcUrl;
        private @Nullable String user;
        private @Nullable String password;
        private @Nullable Supplier<DataSource> dataSource;
        private int poolSize = 4;
        private Duration connectionTimeout = MIN_CONNECTION_TIMEOUT;
        private String tablePrefix = "reprise_";
        private boolean createSchema = true;
        private @Nullable DataKeys dataKeys;
        private boolean dataKeyRollIn;
        private Duration retrieveBudget = Duration.ofMillis(50);
        private int writeQueueCapacity = 10_000;
        private int cacheSize = 10_000;
        private long maxSessions = DEFAULT_MAX_SESSIONS;
        private Duration purgePollInterval = Duration.ofMillis(250);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * @param jdbcUrl for example {@code jdbc:postgresql://db:5432/reprise} or
         *                {@code jdbc:h2:file:/var/lib/reprise/sessions}
         * @return this builder
         */
        public Builder jdbcUrl(@Nullable String jdbcUrl) {
            this.jdbcUrl = jdbcUrl == null || jdbcUrl.isBlank() ? null : jdbcUrl.strip();
            return this;
        }

        /**
         * @param user the database user, or null
         * @return this builder
         */
        public Builder user(@Nullable String user) {
            this.user = user;
            return this;
        }

        /**
         * @param password the database password, or null
         * @return this builder
         */
        public Builder password(@Nullable String password) {
            this.password = password;
            return this;
        }

        /**
         * Uses someone else's DataSource (for example one from JNDI) instead of a pool made from a URL.
         * The supplier is called at first use, not before; Reprise never closes what it returns.
         *
         * @param dataSource supplies the DataSource; may throw until it exists
         * @return this builder
         */
        public Builder dataSource(@Nullable Supplier<DataSource> dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        /**
         * @param poolSize most connections, 1 to 100 (default 4)
         * @return this builder
         */
        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        /**
         * @param connectionTimeout how long to wait for a pooled connection, at least 250 ms (the default)
         * @return this builder
         */
        public Builder connectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        /**
         * @param tablePrefix lower-case letters, digits and underscores, starting with a letter, at most 30
         *                    (default {@code reprise_})
         * @return this builder
         */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
            return this;
        }

        /**
         * @param createSchema whether to create or upgrade the schema at first connection (default true)
         * @return this builder
         */
        public Builder createSchema(boolean createSchema) {
            this.createSchema = createSchema;
            return this;
        }

        /**
         * @param dataKeys the keys that encrypt secrets at rest (required)
         * @return this builder
         */
        public Builder dataKeys(DataKeys dataKeys) {
            this.dataKeys = dataKeys;
            return this;
        }

        /**
         * Lets this node start although its data keys open none of the rows in use: the live ticket keys and
         * the newest live sessions, read at its first connection. Without it such a node refuses to start
         * ({@link org.reprise.core.session.SessionStore#awaitReady} throws), because a node with a wrong key
         * could resume nothing the others made, nor they what it makes. Set it only on a node whose key is
         * meant to replace the one in use, giving up the rows sealed under that one (they are left alone and
         * expire); to change keys without losing rows, follow the data key rotation steps instead.
         *
         * @param rollIn true for a new data key being rolled in (server.xml: {@code dataKeyRollIn}; default false)
         * @return this builder
         */
        public Builder dataKeyRollIn(boolean rollIn) {
            this.dataKeyRollIn = rollIn;
            return this;
        }

        /**
         * @param retrieveBudget the longest a lookup may take, 1 ms to 10 s (default 50 ms)
         * @return this builder
         */
        public Builder retrieveBudget(Duration retrieveBudget) {
            this.retrieveBudget = retrieveBudget;
            return this;
        }

        /**
         * @param writeQueueCapacity session writes that may wait, at least 1 (default 10,000)
         * @return this builder
         */
        public Builder writeQueueCapacity(int writeQueueCapacity) {
            this.writeQueueCapacity = writeQueueCapacity;
            return this;
        }

        /**
         * @param cacheSize sessions cached on this node, at least 1 (default 10,000)
         * @return this builder
         */
        public Builder cacheSize(int cacheSize) {
            this.cacheSize = cacheSize;
            return this;
        }

        /**
         * @param maxSessions how many session rows the table may hold, at least 1 (default 10,000,000): past it
         *                    new sessions are not written (counted as {@code sessions_refused}), so that clients
         *                    making full handshakes cannot fill the database
         * @return this builder
         */
        public Builder maxSessions(long maxSessions) {
            this.maxSessions = maxSessions;
            return this;
        }

        /**
         * @param purgePollInterval how often to look for purges, 10 ms to 1 s (default 250 ms)
         * @return this builder
         */
        public Builder purgePollInterval(Duration purgePollInterval) {
            this.purgePollInterval = purgePollInterval;
            return this;
        }

        /**
         * @param clock where the store reads the time it records (default: the system clock in UTC); tests
         *              pass one they control
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException naming the setting that is missing or out of range
         */
        public JdbcStoreConfig build() {
            if (dataKeys == null) {
                throw new IllegalArgumentException("Reprise JDBC store needs a data key to encrypt secrets at rest: "
                        + "set dataKeyFile (or the environment variable named by dataKeyEnv, REPRISE_DATA_KEY by "
                        + "default); make a key with: openssl rand -base64 32 > reprise-data.key; "
                        + "chmod 600 reprise-data.key");
            }
            if ((jdbcUrl == null) == (dataSource == null)) {
                throw new IllegalArgumentException("Reprise JDBC store needs exactly one of jdbcUrl (for example "
                        + "jdbc:postgresql://db:5432/reprise or jdbc:h2:file:/var/lib/reprise/sessions) and a "
                        + "DataSource (dataSourceName)");
            }
            if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:")) {
                throw new IllegalArgumentException("Reprise setting jdbcUrl must start with jdbc:, for example "
                        + "jdbc:postgresql://db:5432/reprise");
            }
            check(poolSize >= 1 && poolSize <= 100, "jdbcPoolSize", "between 1 and 100", poolSize);
            check(connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) >= 0, "connectionTimeout",
                    "at least 250ms", connectionTimeout);
            check(tablePrefix.length() <= MAX_TABLE_PREFIX && TABLE_PREFIX.matcher(tablePrefix).matches(),
                    "jdbcTablePrefix", "lower-case letters, digits and underscores, starting with a letter, at most "
                            + MAX_TABLE_PREFIX + " characters (not empty: Reprise's tables must not take names as"
                            + " common as sessions in a schema they share)", tablePrefix);
            check(retrieveBudget.compareTo(Duration.ofMillis(1)) >= 0
                    && retrieveBudget.compareTo(Duration.ofSeconds(10)) <= 0, "retrieveBudget",
                    "between 1ms and 10s", retrieveBudget);
            check(writeQueueCapacity >= 1, "writeQueueCapacity", "at least 1", writeQueueCapacity);
            check(cacheSize >= 1, "cacheSize", "at least 1", cacheSize);
            check(maxSessions >= 1, "jdbcMaxSessions", "at least 1", maxSessions);
            check(purgePollInterval.compareTo(Duration.ofMillis(10)) >= 0
                    && purgePollInterval.compareTo(MAX_PURGE_POLL_INTERVAL) <= 0, "purgePollInterval",
                    "between 10ms and 1s", purgePollInterval);
            return new JdbcStoreConfig(this);
        }

        private static void check(boolean ok, String setting, String allowed, Object value) {
            if (!ok) {
                throw new IllegalArgumentException(
                        "Reprise setting " + setting + " must be " + allowed + ", not " + value);
            }
        }
    }
}
