package org.reprise.store.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.reprise.core.internal.store.AttributeValues;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.store.StoreProvider;

/**
 * The {@code store="jdbc"} of a Reprise connector: reads the connector's JDBC attributes (see
 * {@link #attributeNames()} and docs/SETTINGS.md for their defaults) and opens {@link JdbcStores}.
 * Without a data key it refuses to start and says how to make one; with data keys that open none of the
 * rows in use it refuses too, at its first connection, unless {@code dataKeyRollIn="true"}. Opening never
 * waits for the database.
 */
public final class JdbcStoreProvider implements StoreProvider {

    /** The JDBC URL of a pool Reprise makes. */
    public static final String JDBC_URL = "jdbcUrl";
    /** The database user. */
    public static final String JDBC_USER = "jdbcUser";
    /** The database password, written in server.xml. */
    public static final String JDBC_PASSWORD = "jdbcPassword";
    /** A file whose first line is the database password: keeps it out of server.xml. */
    public static final String JDBC_PASSWORD_FILE = "jdbcPasswordFile";
    /** The most pooled connections. */
    public static final String JDBC_POOL_SIZE = "jdbcPoolSize";
    /** What every table name starts with. */
    public static final String JDBC_TABLE_PREFIX = "jdbcTablePrefix";
    /** Whether to create or upgrade the schema. */
    public static final String JDBC_CREATE_SCHEMA = "jdbcCreateSchema";
    /** The data key file. */
    public static final String DATA_KEY_FILE = "dataKeyFile";
    /** The name of an environment variable holding the data keys. */
    public static final String DATA_KEY_ENV = "dataKeyEnv";
    /** Whether this node's data key may be one that none of the rows in use is sealed under yet. */
    public static final String DATA_KEY_ROLL_IN = "dataKeyRollIn";
    /** How many session rows the table may hold. */
    public static final String JDBC_MAX_SESSIONS = "jdbcMaxSessions";
    /** The longest a handshake waits for a lookup. */
    public static final String RETRIEVE_BUDGET = "retrieveBudget";
    /** The JNDI name of a DataSource to use instead of {@code jdbcUrl}. */
    public static final String DATA_SOURCE_NAME = "dataSourceName";
    /** The environment variable consulted when neither {@code dataKeyFile} nor {@code dataKeyEnv} is set. */
    public static final String DEFAULT_DATA_KEY_ENV = "REPRISE_DATA_KEY";

    private static final Set<String> ATTRIBUTES = Set.of(JDBC_URL, JDBC_USER, JDBC_PASSWORD, JDBC_PASSWORD_FILE,
            JDBC_POOL_SIZE, JDBC_TABLE_PREFIX, JDBC_CREATE_SCHEMA, DATA_KEY_FILE, DATA_KEY_ENV, DATA_KEY_ROLL_IN,
            RETRIEVE_BUDGET, DATA_SOURCE_NAME, JDBC_MAX_SESSIONS);
    private static final String MAKE_A_KEY = "make a key with: openssl rand -base64 32 > reprise-data.key; "
            + "chmod 600 reprise-data.key";

    private final UnaryOperator<@Nullable String> environment;

    /** The provider {@link java.util.ServiceLoader} makes, reading the process environment. */
    public JdbcStoreProvider() {
        this(System::getenv);
    }

    /** @param environment looks environment variables up (tests pass their own) */
    JdbcStoreProvider(UnaryOperator<@Nullable String> environment) {
        this.environment = environment;
    }

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public Set<String> attributeNames() {
        return ATTRIBUTES;
    }

    @Override
    public JdbcStores open(Map<String, String> attributes, @Nullable String node, ResumptionMetrics metrics) {
        return JdbcStores.open(config(attributes), node, metrics);
    }

    /** @return the configuration the attributes describe, checked */
    JdbcStoreConfig config(Map<String, String> attributes) {
        JdbcStoreConfig.Builder b = JdbcStoreConfig.builder().dataKeys(dataKeys(attributes));
        String url = attributes.get(JDBC_URL);
        String dataSourceName = attributes.get(DATA_SOURCE_NAME);
        if (url != null && dataSourceName != null) {
            throw new IllegalArgumentException("Reprise settings " + JDBC_URL + " and " + DATA_SOURCE_NAME
                    + " exclude each other: set one");
        }
        b.jdbcUrl(url);
        if (dataSourceName != null) {
            b.dataSource(new JndiDataSource(dataSourceName));
        }
        b.user(attributes.get(JDBC_USER));
        b.password(password(attributes));
        String poolSize = attributes.get(JDBC_POOL_SIZE);
        if (poolSize != null) {
            b.poolSize(integer(JDBC_POOL_SIZE, poolSize));
        }
        String prefix = attributes.get(JDBC_TABLE_PREFIX);
        if (prefix != null) {
            b.tablePrefix(prefix);
        }
        String createSchema = attributes.get(JDBC_CREATE_SCHEMA);
        if (createSchema != null) {
            b.createSchema(AttributeValues.bool(JDBC_CREATE_SCHEMA, createSchema));
        }
        String rollIn = attributes.get(DATA_KEY_ROLL_IN);
        if (rollIn != null) {
            b.dataKeyRollIn(AttributeValues.bool(DATA_KEY_ROLL_IN, rollIn));
        }
        String maxSessions = attributes.get(JDBC_MAX_SESSIONS);
        if (maxSessions != null) {
            b.maxSessions(integer(JDBC_MAX_SESSIONS, maxSessions));
        }
        String budget = attributes.get(RETRIEVE_BUDGET);
        if (budget != null) {
            b.retrieveBudget(AttributeValues.duration(RETRIEVE_BUDGET, budget));
        }
        return b.build();
    }

    private DataKeys dataKeys(Map<String, String> attributes) {
        String file = attributes.get(DATA_KEY_FILE);
        if (file != null) {
            try {
                return DataKeys.fromFile(Path.of(file));
            } catch (IOException e) {
                throw new IllegalArgumentException("Reprise setting " + DATA_KEY_FILE + "=\"" + file
                        + "\": cannot read the file (" + e + "); " + MAKE_A_KEY, e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Reprise setting " + DATA_KEY_FILE + ": " + e.getMessage(), e);
            }
        }
        String variable = attributes.getOrDefault(DATA_KEY_ENV, DEFAULT_DATA_KEY_ENV);
        String text = environment.apply(variable);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Reprise's JDBC store encrypts secrets at rest and has no data key: "
                    + "set " + DATA_KEY_FILE + " to a key file, or put the key in the environment variable "
                    + variable + (attributes.containsKey(DATA_KEY_ENV) ? " (named by " + DATA_KEY_ENV + ")"
                            : " (or name another with " + DATA_KEY_ENV + ")") + "; " + MAKE_A_KEY);
        }
        try {
            return DataKeys.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Reprise data key in the environment variable " + variable + ": "
                    + e.getMessage(), e);
        }
    }

    private static @Nullable String password(Map<String, String> attributes) {
        String password = attributes.get(JDBC_PASSWORD);
        String file = attributes.get(JDBC_PASSWORD_FILE);
        if (file == null) {
            return password;
        }
        if (password != null) {
            throw new IllegalArgumentException("Reprise settings " + JDBC_PASSWORD + " and " + JDBC_PASSWORD_FILE
                    + " exclude each other: set one");
        }
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("Reprise setting " + JDBC_PASSWORD_FILE + "=\"" + file
                    + "\": cannot read the file (" + e + ")", e);
        }
    }

    private static int integer(String attribute, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "Reprise setting " + attribute + "=\"" + value + "\" is not a whole number");
        }
    }
}
