package org.reprise.bench;

import java.time.Clock;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.MemorySessionStore;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionQuery;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.session.SessionStore;
import org.reprise.core.ticket.TicketKeyStore;
import org.reprise.store.jdbc.DataKeys;
import org.reprise.store.jdbc.JdbcStoreConfig;
import org.reprise.store.jdbc.JdbcStores;
import org.reprise.store.jdbc.SessionStoreUnavailableException;

/**
 * The session stores the benchmarks run against, opened the way a connector opens them, and filled with
 * synthetic sessions through the store's own API. JDBC stores use tables of their own prefix, which
 * {@link #close} drops again.
 */
final class BenchStores implements AutoCloseable {

    /** The machine's PostgreSQL (see the developers' guide). */
    static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String POSTGRES_USER = "postgres";
    private static final Duration FLUSH_WAIT = Duration.ofMinutes(5);
    private static final Duration OPEN_WAIT = Duration.ofSeconds(30);
    private static final int FILL_CHUNK = 50_000;

    private final SessionStore sessions;
    private final @Nullable JdbcStores jdbc;
    private final @Nullable String url;
    private final @Nullable String user;
    private final String prefix;

    private BenchStores(SessionStore sessions, @Nullable JdbcStores jdbc,
            @Nullable String url, @Nullable String user,
            String prefix) {
        this.sessions = sessions;
        this.jdbc = jdbc;
        this.url = url;
        this.user = user;
        this.prefix = prefix;
    }

    /**
     * @param kind      {@code memory}, {@code h2} (a file database in {@code h2Dir}) or {@code postgres}
     * @param capacity  how many sessions the memory store keeps at most
     * @param cacheSize how many sessions a JDBC store caches in the JVM (1: nearly every lookup reads the database)
     * @param prefix    table prefix for JDBC stores
     * @param h2Dir     where the H2 database lives
     * @param budget    how long a JDBC lookup may take before it fails (a connector's {@code retrieveBudget})
     */
    static BenchStores open(String kind, long capacity, int cacheSize, String prefix, String h2Dir, Duration budget) {
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "memory":
                return new BenchStores(new MemorySessionStore(capacity, Clock.systemUTC()), null, null, null, prefix);
            case "h2":
                return jdbc("jdbc:h2:file:" + h2Dir + "/sessions", "sa", cacheSize, prefix, budget);
            case "postgres":
                return jdbc(POSTGRES_URL, POSTGRES_USER, cacheSize, prefix, budget);
            default:
                throw new IllegalArgumentException("store must be memory, h2 or postgres, not " + kind);
        }
    }

    private static BenchStores jdbc(String url, String user, int cacheSize, String prefix, Duration budget) {
        byte[] key = new byte[DataKeys.KEY_LENGTH];
        new SecureRandom().nextBytes(key);
        JdbcStoreConfig config = JdbcStoreConfig.builder()
                .jdbcUrl(url)
                .user(user)
                .tablePrefix(prefix)
                .poolSize(8)
                .cacheSize(cacheSize)
                .retrieveBudget(budget)
                .writeQueueCapacity(FILL_CHUNK)
                .dataKeys(DataKeys.parse(Base64.getEncoder().encodeToString(key)))
                .build();
        JdbcStores stores = JdbcStores.open(config, "bench", new ResumptionMetrics());
        awaitDatabase(stores.sessionStore());
        return new BenchStores(stores.sessionStore(), stores, url, user, prefix);
    }

    /**
     * Waits until the store has its database: writes queued while the pool makes its first connections
     * are lost (the store does not retry them), and the fill must not lose any.
     */
    private static void awaitDatabase(SessionStore store) {
        long deadline = System.nanoTime() + OPEN_WAIT.toNanos();
        while (true) {
            try {
                store.list(SessionQuery.all(), Instant.now());
                return;
            } catch (SessionStoreUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the session database did not open within " + OPEN_WAIT, e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the database", interrupted);
                }
            }
        }
    }

    SessionStore sessions() {
        return sessions;
    }

    /** @return the JDBC ticket key store, or null for the memory store (the connector then makes its own) */
    @Nullable TicketKeyStore ticketKeys() {
        return jdbc == null ? null : jdbc.ticketKeyStore();
    }

    /**
     * Stores {@code count} synthetic sessions (valid for a day) and waits until a JDBC store has written
     * them all.
     *
     * @return their IDs
     */
    List<SessionId> fill(int count) {
        List<SessionId> ids = new ArrayList<>(count);
        SecureRandom random = new SecureRandom();
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            SessionRecord record = synthetic(random, now);
            sessions.store(record);
            ids.add(record.id());
            if (jdbc != null && (i + 1) % FILL_CHUNK == 0) {
                awaitWritten();
            }
        }
        awaitWritten();
        long stored = sessions.list(SessionQuery.all(), Instant.now()).total();
        if (stored < count) {
            throw new IllegalStateException("the store holds " + stored + " sessions after storing " + count);
        }
        return ids;
    }

    /** @return a session like one a TLS 1.2 full handshake makes, with random ID and secret */
    static SessionRecord synthetic(java.util.Random random, Instant now) {
        byte[] id = new byte[SessionId.MAX_LENGTH];
        random.nextBytes(id);
        byte[] secret = new byte[120];
        random.nextBytes(secret);
        return SessionRecord.builder()
                .id(SessionId.of(id))
                .realm("bench")
                .protocol("TLSv1.2")
                .cipherSuite("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
                .hostConfig("_default_")
                .sniHost("localhost")
                .created(now)
                .expires(now.plus(Duration.ofDays(1)))
                .engine("bc")
                .node("bench")
                .secretState(secret)
                .build();
    }

    /** Waits until a JDBC store has written every session stored so far; the memory store has nothing to wait for. */
    void awaitWritten() {
        if (jdbc != null && !jdbc.flush(FLUSH_WAIT)) {
            throw new IllegalStateException("the JDBC store did not write its queue within " + FLUSH_WAIT);
        }
    }

    /** Closes the store and drops a JDBC store's tables. */
    @Override
    public void close() throws SQLException {
        if (jdbc != null) {
            jdbc.close();
        } else {
            sessions.close();
        }
        if (url != null) {
            dropTables(url, user, prefix);
        }
    }

    /** Drops every table whose name starts with {@code prefix}. */
    static void dropTables(String url, @Nullable String user, String prefix)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            List<String> tables = new ArrayList<>();
            boolean upper = url.startsWith("jdbc:h2:");
            String pattern = (upper ? prefix.toUpperCase(Locale.ROOT) : prefix).replace("_", "\\_") + "%";
            try (ResultSet rs = c.getMetaData().getTables(null, null, pattern, new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            try (Statement s = c.createStatement()) {
                for (String table : tables) {
                    s.execute("DROP TABLE IF EXISTS " + table + " CASCADE");
                }
            }
        }
    }
}
