package org.reprise.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.SessionStore;
import org.reprise.core.store.ResumptionStores;
import org.reprise.core.ticket.TicketKeyStore;

/**
 * A session store and a ticket key store over one database, with everything they run on: the connection
 * pool (unless a DataSource was supplied), the schema, this node's session cache, the thread that writes
 * sessions, the pool that runs lookups within their budget, and the poller that brings purges made on
 * other nodes to this one.
 *
 * <p>{@link #open} returns at once: nothing waits for the database, which may not be up (or, for a JNDI
 * DataSource, not bound) yet. A start-up thread makes the first connection and the schema, trying again
 * until the database answers; {@link SessionStore#awaitReady} waits for it, as the connector does when it
 * starts. Until then handshake lookups fail fast with {@link SessionStoreUnavailableException}, while
 * background work (writes, ticket keys, sweeps, the admin page) waits for it, up to ten seconds after opening. During
 * any later outage calls fail fast, stores keep queueing (dropping when the queue is full), and the outage
 * is logged once when it starts and once when it ends. Thread-safe.
 */
public final class JdbcStores implements ResumptionStores {

    private final @Nullable HikariDataSource pool;
    private final Database db;
    private final OutageLog outage;
    private final JdbcSessionStore sessions;
    private final JdbcTicketKeyStore ticketKeys;
    private final BudgetedExecutor lookups;
    private final PurgePoller poller;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JdbcStores(@Nullable HikariDataSource pool, Database db, OutageLog outage, JdbcSessionStore sessions,
            JdbcTicketKeyStore ticketKeys, BudgetedExecutor lookups, PurgePoller poller) {
        this.pool = pool;
        this.db = db;
        this.outage = outage;
        this.sessions = sessions;
        this.ticketKeys = ticketKeys;
        this.lookups = lookups;
        this.poller = poller;
    }

    /**
     * Opens the stores without waiting for the database.
     *
     * @param config  where the database is, the data keys and the limits
     * @param node    this server's node name (names threads and the pool), or null
     * @param metrics where dropped writes and errors the caller cannot see are counted
     * @return the stores; close them when the connector stops
     */
    public static JdbcStores open(JdbcStoreConfig config, @Nullable String node, ResumptionMetrics metrics) {
        String suffix = node == null ? "" : "-" + node;
        Tables tables = new Tables(config.tablePrefix());
        OutageLog outage = new OutageLog(tables.prefix() + "*" + (node == null ? "" : " on node " + node));
        HikariDataSource pool = config.dataSource() == null ? HikariPools.create(config, node) : null;
        Supplier<DataSource> source = pool != null ? () -> pool : Objects.requireNonNull(config.dataSource());
        PurgeLog purges = new PurgeLog(tables);
        Database db = new Database(source, tables, purges, config.createSchema(), outage, config.clock(),
                new DataKeyCheck(config.dataKeys(), config.dataKeyRollIn()));
        SecretCipher cipher = new SecretCipher(config.dataKeys());
        SessionCache cache = new SessionCache(config.cacheSize(), config.clock());
        BudgetedExecutor lookups = new BudgetedExecutor(config.poolSize(), config.retrieveBudget(), outage,
                "reprise-jdbc-lookup" + suffix);
        JdbcSessionStore sessions = new JdbcSessionStore(db, cipher, cache, lookups, purges,
                metrics, config.writeQueueCapacity(), config.maxSessions(), "reprise-jdbc-writer" + suffix);
        JdbcTicketKeyStore ticketKeys = new JdbcTicketKeyStore(db, cipher, metrics);
        PurgePoller poller = new PurgePoller(db, purges, cache, sessions, config.purgePollInterval(), config.clock(),
                "reprise-jdbc-purges" + suffix);
        db.start("reprise-jdbc-start" + suffix);
        return new JdbcStores(pool, db, outage, sessions, ticketKeys, lookups, poller);
    }

    @Override
    public SessionStore sessionStore() {
        return sessions;
    }

    @Override
    public TicketKeyStore ticketKeyStore() {
        return ticketKeys;
    }

    /**
     * Waits until every session stored before the call has been written to the database (or its write
     * has failed, as during an outage).
     *
     * @param timeout the longest to wait
     * @return false if the writes took longer
     */
    public boolean flush(Duration timeout) {
        return sessions.flush(timeout);
    }

    /**
     * Writes the sessions still queued (waiting up to 30 s for the database), stops the threads, and
     * closes the pool if Reprise made it; a supplied DataSource is left open for its owner.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        db.close();
        poller.close();
        sessions.close();
        outage.stop();
        lookups.close();
        if (pool != null) {
            pool.close();
        }
    }
}
