package org.reprise.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionPage;
import org.reprise.core.session.SessionQuery;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.session.SessionStore;

/**
 * Sessions in the database, with this node's cache in front.
 *
 * <ul>
 *   <li>{@link #retrieve}: the cache, else one indexed lookup within the retrieve budget (none before the
 *       database has answered once: that would cost more than the budget, so it fails at once). A row whose
 *       secret does not open is a miss: left alone and counted when it is under a data key this node lacks
 *       (another node's), deleted when it is under one of this node's keys and damaged.</li>
 *   <li>{@link #store}: the cache at once, the database later, through {@link WriteBehind}.</li>
 *   <li>{@link #recordResumption}: the same way, as a small update of the row's resume count and last
 *       resumption, which touches only a row that is still there.</li>
 *   <li>{@link #remove}, {@link #removeAll}: delete (a session with the sessions renewed from it; a realm's)
 *       and record a purge in one transaction; every node's {@link PurgePoller} then drops the sessions from
 *       its cache, and its cache's tombstones answer {@link #isPurged}.</li>
 *   <li>{@link #sweepExpired}: this node's cache, then batches of 1,000 rows, safe on every node at once.</li>
 * </ul>
 *
 * <p>Listed records carry an empty secret state: a listing is for people, and never decrypts.
 *
 * <p>Errors the caller sees (a thrown {@link SessionStoreUnavailableException}) are counted by the caller,
 * as the {@link SessionStore} contract says; errors the caller cannot see (a lost write, a bad row) are
 * counted here. Thread-safe.
 */
final class JdbcSessionStore implements SessionStore {

    private static final Logger LOG = Logger.getLogger(JdbcSessionStore.class.getPackageName());
    private static final int SWEEP_BATCH = 1000;
    private static final int MAX_REPORTED_KEY_IDS = 100;

    private final Database db;
    private final String table;
    private final SessionRows rows;
    private final SecretCipher cipher;
    private final SessionCache cache;
    private final BudgetedExecutor lookups;
    private final PurgeLog purges;
    private final ResumptionMetrics metrics;
    private final WriteBehind writes;
    private final String selectOne;
    private final int queryTimeoutSeconds;
    private final Set<String> reportedKeyIds = ConcurrentHashMap.newKeySet();
    private final long maxSessions;
    /** The rows the table held at the last count, plus those this node wrote since; -1 before the first count. */
    private final AtomicLong rowsHeld = new AtomicLong(-1);
    /** Whether the table is full and that was logged; cleared once there is room again. */
    private volatile boolean full;

    JdbcSessionStore(Database db, SecretCipher cipher, SessionCache cache, BudgetedExecutor lookups,
            PurgeLog purges, ResumptionMetrics metrics, int writeQueueCapacity, long maxSessions,
            String writerThreadName) {
        this.db = db;
        this.table = db.tables().sessions();
        this.cipher = cipher;
        this.rows = new SessionRows(cipher);
        this.cache = cache;
        this.lookups = lookups;
        this.purges = purges;
        this.metrics = metrics;
        this.maxSessions = maxSessions;
        this.selectOne = "SELECT " + String.join(", ", SessionRows.ALL_COLUMNS) + " FROM " + table
                + " WHERE id = ? AND expires > ? AND " + purges.notPurged(table);
        // JDBC counts whole seconds; the budget itself is enforced by the executor
        this.queryTimeoutSeconds = (int) Math.max(1, (lookups.budget().toMillis() + 999) / 1000);
        this.writes = new WriteBehind(writeQueueCapacity, this::write, metrics, writerThreadName);
    }

    @Override
    public void store(SessionRecord record) {
        if (cache.isPurged(record, record.created())) {
            return;
        }
        cache.put(record);
        writes.offer(WriteBehind.Write.session(record));
    }

    @Override
    public void recordResumption(SessionId id, Instant at) {
        cache.recordResumption(id, at);
        writes.offer(WriteBehind.Write.resumption(id, at));
    }

    @Override
    public @Nullable SessionRecord retrieve(SessionId id, Instant now) {
        SessionRecord cached = cache.get(id, now);
        if (cached != null) {
            return cached;
        }
        if (!db.isReady()) {
            throw new SessionStoreUnavailableException("Reprise JDBC store: retrieve: the database has not answered"
                    + " yet since this node started", null);
        }
        long mark = cache.mark();
        SessionRecord found = lookups.call("retrieve", () -> db.call("retrieve", (c, d) -> select(c, id, now)));
        if (found != null) {
            cache.putUnlessInvalidatedSince(found, mark);
        }
        return found;
    }

    @Override
    public boolean isPurged(SessionRecord record, Instant now) {
        return cache.isPurged(record, now);
    }

    @Override
    public boolean remove(SessionId id) {
        long now = db.clock().millis();
        long cachedExpiry = cache.expiryOf(id);
        boolean cached = cache.invalidate(id);
        writes.discard(id);
        int deleted = db.callInTransaction("remove", (c, d) -> {
            // A session renewed from this one expires no later than it (SessionLifetime), so its expiry bounds
            // the whole line's
            long expires = Math.max(cachedExpiry, latestExpiry(c, " WHERE id = ? OR origin = ?", id.hex(), id.hex()));
            // Standing past the purge log's minute only as long as a session that was there could live:
            // for an ID nobody stored, that would let callers grow the table
            purges.append(c, id, null, now, Math.max(expires, now + PurgePoller.RETENTION.toMillis()));
            return deleteLine(c, id);
        });
        return deleted > 0 || cached;
    }

    @Override
    public long removeAll(String realm) {
        long now = db.clock().millis();
        cache.invalidateRealm(realm);
        writes.discardAll();
        return db.callInTransaction("remove all", (c, d) -> {
            long expires = latestExpiry(c, " WHERE realm = ?", realm);
            purges.append(c, null, realm, now, Math.max(expires, now + PurgePoller.RETENTION.toMillis()));
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE realm = ?")) {
                ps.setString(1, realm);
                return (long) ps.executeUpdate();
            }
        });
    }

    /**
     * Another node purged a session (or a realm's, for a null ID; every realm's for both null): drops them from
     * this node's cache and forgets this node's queued writes of them.
     */
    void purgedElsewhere(@Nullable SessionId id, @Nullable String realm) {
        if (id != null) {
            cache.invalidate(id);
            writes.discard(id);
            return;
        }
        if (realm == null) {
            cache.invalidateAll();
        } else {
            cache.invalidateRealm(realm);
        }
        writes.discardAll();
    }

    /** @return the latest expiry among the rows {@code where} selects with its parameters {@code values}, 0 if none */
    private long latestExpiry(Connection c, String where, String... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(expires) FROM " + table + where)) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    @Override
    public SessionPage list(SessionQuery query, Instant now) {
        SessionListing listing = new SessionListing(query, now);
        return db.call("list", (c, d) -> {
            long total;
            try (PreparedStatement count = c.prepareStatement(listing.countSql(table))) {
                listing.bindFilter(count);
                try (ResultSet rs = count.executeQuery()) {
                    total = rs.next() ? rs.getLong(1) : 0;
                }
            }
            List<SessionRecord> page = new ArrayList<>(query.limit());
            try (PreparedStatement select = c.prepareStatement(listing.pageSql(table, SessionRows.PUBLIC_COLUMNS))) {
                listing.bindPage(select);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        SessionRecord r = rows.readListed(rs);
                        if (r != null) {
                            page.add(r);
                        }
                    }
                }
            }
            return new SessionPage(page, total, query.offset(), query.limit());
        });
    }

    @Override
    public long sweepExpired(Instant now) {
        cache.sweepExpired(now);
        return db.call("sweep", (c, d) -> {
            long total = 0;
            try (PreparedStatement delete = c.prepareStatement(d.deleteExpiredBatch(table))) {
                int deleted;
                do {
                    delete.setLong(1, now.toEpochMilli());
                    delete.setInt(2, SWEEP_BATCH);
                    deleted = delete.executeUpdate();
                    total += deleted;
                } while (deleted > 0);
            }
            rowsHeld.set(countRows(c));
            return total;
        });
    }

    @Override
    public boolean awaitReady(Duration timeout) {
        return db.awaitReady(timeout);
    }

    /**
     * Waits until every session stored before the call is in the database (or its write failed).
     *
     * @return false if that took longer than {@code timeout}
     */
    boolean flush(Duration timeout) {
        return writes.flush(timeout);
    }

    /** Writes what is queued, then stops the writer. The connections belong to {@link JdbcStores}. */
    @Override
    public void close() {
        writes.close();
    }

    private @Nullable SessionRecord select(Connection c, SessionId id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(selectOne)) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setString(1, id.hex());
            ps.setLong(2, now.toEpochMilli());
            ps.setString(3, id.hex());
            ps.setLong(4, now.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                SessionRecord record = rows.readWithSecret(rs);
                if (record == null || !record.id().equals(id)) {
                    unreadableRow(c, id, rs.getString("key_id"));
                    return null;
                }
                return record.isExpiredAt(now) ? null : record;
            }
        }
    }

    /**
     * A row that does not open is a miss. Whose it is decides what else happens:
     * <ul>
     *   <li>sealed under a data key this node lacks: another node's session (or this node's key is wrong).
     *       It stays for the nodes that can open it, and is counted ({@code sessions_unreadable}), with one
     *       log line per key ID. Deleting it would let one misconfigured node destroy everyone's sessions.</li>
     *   <li>sealed under a key this node has, yet not opening (changed bytes, a secret moved from another
     *       row, fields that make no record): since a key ID names exactly one key, every node holding it
     *       fails the same way, so the row is useless to all of them and is deleted once, as a store
     *       error.</li>
     * </ul>
     */
    private void unreadableRow(Connection c, SessionId id, @Nullable String keyId) throws SQLException {
        String reported = String.valueOf(keyId);
        if (!cipher.hasKey(keyId)) {
            metrics.sessionUnreadable();
            if (reportedKeyIds.size() < MAX_REPORTED_KEY_IDS && reportedKeyIds.add(reported)) {
                LOG.warning("Reprise JDBC store: a session row is sealed under data key ID " + reported + ", which"
                        + " this node does not have (its data key IDs: " + cipher.keyIds() + "); the row is left"
                        + " for the nodes that have it and is a miss here. Every node must have every data key in"
                        + " use. Further rows under this key ID are counted (sessions_unreadable) without a log"
                        + " line.");
            }
            return;
        }
        deleteRow(c, id);
        metrics.storeError();
        if (reportedKeyIds.size() < MAX_REPORTED_KEY_IDS && reportedKeyIds.add("damaged " + reported)) {
            LOG.warning("Reprise JDBC store: deleted a session row that is sealed under this node's data key ID "
                    + reported + " but does not open (damaged, or changed in the database); further such rows"
                    + " are deleted and counted as store errors without a log line.");
        }
    }

    private int deleteLine(Connection c, SessionId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id = ? OR origin = ?")) {
            ps.setString(1, id.hex());
            ps.setString(2, id.hex());
            return ps.executeUpdate();
        }
    }

    private int deleteRow(Connection c, SessionId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            ps.setString(1, id.hex());
            return ps.executeUpdate();
        }
    }

    private void write(List<WriteBehind.Write> batch) {
        // The last write of a session wins, and resumptions add up; a fixed order keeps two nodes writing the
        // same sessions from deadlocking on PostgreSQL's row locks
        Map<SessionId, SessionRecord> latest = new TreeMap<>(Comparator.comparing(SessionId::hex));
        Map<SessionId, Resumptions> resumed = new TreeMap<>(Comparator.comparing(SessionId::hex));
        for (WriteBehind.Write w : batch) {
            SessionRecord record = w.record();
            Instant at = w.resumedAt();
            if (record != null) {
                latest.put(w.id(), record);
                resumed.remove(w.id());
            } else if (at != null) {
                resumed.merge(w.id(), new Resumptions(1, at), Resumptions::plus);
            }
        }
        db.callInTransaction("write sessions", (c, d) -> {
            if (!latest.isEmpty()) {
                long held = rowsHeld.get() >= 0 ? rowsHeld.get() : countRows(c);
                long room = Math.max(0, Math.min(latest.size(), maxSessions - held));
                refuse(latest.size() - room, held);
                if (room > 0) {
                    try (PreparedStatement ps = c.prepareStatement(d.upsert(table, SessionRows.ALL_COLUMNS, "id"))) {
                        long written = 0;
                        for (SessionRecord r : latest.values()) {
                            if (written++ == room) {
                                break;
                            }
                            rows.bind(ps, r);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                rowsHeld.set(held + room);
            }
            if (!resumed.isEmpty()) {
                // Only a row that is still there: a resumption never brings back a purged session
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET last_resumed ="
                        + " GREATEST(COALESCE(last_resumed, 0), ?), resume_count = resume_count + ? WHERE id = ?")) {
                    for (Map.Entry<SessionId, Resumptions> e : resumed.entrySet()) {
                        ps.setLong(1, e.getValue().last().toEpochMilli());
                        ps.setLong(2, e.getValue().count());
                        ps.setString(3, e.getKey().hex());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return null;
        });
    }

    /**
     * Sessions not written because the table holds {@code jdbcMaxSessions} rows: counted, and said once per
     * time the table fills. They stay in this node's cache, so only a resumption on another node misses.
     */
    private void refuse(long refused, long held) {
        if (refused == 0) {
            full = false;
            return;
        }
        for (long i = 0; i < refused; i++) {
            metrics.sessionRefused();
        }
        if (!full) {
            full = true;
            LOG.warning("Reprise JDBC store: the table " + table + " holds " + held + " sessions, its limit"
                    + " (jdbcMaxSessions=" + maxSessions + "); new sessions are not written (counted as"
                    + " sessions_refused) until sweeps of expired rows make room. Raise jdbcMaxSessions if the"
                    + " traffic needs it; otherwise clients are making sessions to fill the table.");
        }
    }

    private long countRows(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The resumptions of one session within one batch. */
    private record Resumptions(long count, Instant last) {
        Resumptions plus(Resumptions other) {
            return new Resumptions(count + other.count, last.isAfter(other.last) ? last : other.last);
        }
    }
}
