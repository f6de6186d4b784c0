package org.reprise.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.reprise.core.session.SessionId;

/**
 * The {@code purges} table: one row per removed session (or per "remove all"), numbered without gaps,
 * which every node reads to drop purged sessions from its cache.
 *
 * <p>A purge is also a tombstone, kept until {@code keep_until}, the latest expiry of what it purged: a
 * lookup never returns a row that a purge kept this way covers, so neither a write that was in flight
 * during the purge (another node's queue) nor a saved row that someone inserts again brings the session
 * back; it covers the rows renewed from the purged session too (their {@code origin}). A "remove all" is of one
 * realm (a row from before realms, with none, of every realm) and covers every row of it whose line was
 * authenticated up to its time.
 *
 * <p>Numbers come from a one-row counter that each purge increments in its own transaction. The row lock
 * makes purges commit in number order, so a reader that has seen purge N has seen every purge before it;
 * an identity column would not promise that (two transactions may commit in the other order), and a
 * node could skip a purge for good.
 */
final class PurgeLog {

    /** One recorded purge. */
    record Purge(long seq, @Nullable String sessionId, @Nullable String realm) {
    }

    private final Tables tables;

    PurgeLog(Tables tables) {
        this.tables = tables;
    }

    /**
     * Records a purge; must run in the transaction that deletes the rows, so that nodes never hear of a
     * purge that did not happen.
     *
     * @param id        the session, or null for all of {@code realm}
     * @param realm     the realm purged as a whole, or null for one session
     * @param atMillis  when
     * @param keepUntil until when the purge must stay a tombstone: the latest expiry among what it purged
     */
    void append(Connection c, @Nullable SessionId id, @Nullable String realm, long atMillis, long keepUntil)
            throws SQLException {
        try (PreparedStatement bump = c.prepareStatement(
                "UPDATE " + tables.purgeCounter() + " SET seq = seq + 1 WHERE id = 1")) {
            bump.executeUpdate();
        }
        long seq = latest(c);
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO " + tables.purges() + " (seq, session_id, realm, purged_at, keep_until)"
                        + " VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, seq);
            if (id == null) {
                insert.setNull(2, Types.VARCHAR);
            } else {
                insert.setString(2, id.hex());
            }
            if (realm == null) {
                insert.setNull(3, Types.VARCHAR);
            } else {
                insert.setString(3, realm);
            }
            insert.setLong(4, atMillis);
            insert.setLong(5, keepUntil);
            insert.executeUpdate();
        }
    }

    /** @return the number of the newest purge, 0 before the first */
    long latest(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM " + tables.purgeCounter() + " WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the table " + tables.purgeCounter() + " has lost its row");
            }
            return rs.getLong(1);
        }
    }

    /** @return the purges numbered above {@code after} and up to {@code upTo}, in order */
    List<Purge> between(Connection c, long after, long upTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, session_id, realm FROM " + tables.purges()
                + " WHERE seq > ? AND seq <= ? ORDER BY seq")) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            List<Purge> purges = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    purges.add(new Purge(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
            return purges;
        }
    }

    /**
     * Deletes the purges recorded before {@code beforeMillis} that no longer need to be tombstones at
     * {@code nowMillis}; a node that missed them drops its whole cache.
     */
    void deleteBefore(Connection c, long beforeMillis, long nowMillis) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + tables.purges()
                + " WHERE purged_at < ? AND (keep_until IS NULL OR keep_until < ?)")) {
            ps.setLong(1, beforeMillis);
            ps.setLong(2, nowMillis);
            ps.executeUpdate();
        }
    }

    /**
     * @param sessions the sessions table
     * @return a condition on the row {@code s} of {@code sessions}, with two parameters (the session's ID and
     *         the current time), that holds when no purge still standing covers it
     */
    String notPurged(String sessions) {
        return "NOT EXISTS (SELECT 1 FROM " + tables.purges() + " p WHERE (p.session_id = ? OR p.session_id = "
                + sessions + ".origin OR (p.session_id IS NULL AND (p.realm IS NULL OR p.realm = " + sessions
                + ".realm) AND p.purged_at >= " + sessions + ".authenticated)) AND p.keep_until > ?)";
    }
}
