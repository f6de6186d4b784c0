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
 * <p>Numbers come from a one-row counter that each purge increments in its own transaction. The row lock
 * makes purges commit in number order, so a reader that has seen purge N has seen every purge before it;
 * an identity column would not promise that (two transactions may commit in the other order), and a
 * node could skip a purge for good.
 */
final class PurgeLog {

    /** One recorded purge. */
    record Purge(long seq, @Nullable String sessionId) {
    }

    private final Tables tables;

    PurgeLog(Tables tables) {
        this.tables = tables;
    }

    /**
     * Records a purge; must run in the transaction that deletes the rows, so that nodes never hear of a
     * purge that did not happen.
     *
     * @param id the session, or null for all
     */
    void append(Connection c, @Nullable SessionId id, long atMillis) throws SQLException {
        try (PreparedStatement bump = c.prepareStatement(
                "UPDATE " + tables.purgeCounter() + " SET seq = seq + 1 WHERE id = 1")) {
            bump.executeUpdate();
        }
        long seq = latest(c);
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO " + tables.purges() + " (seq, session_id, purged_at) VALUES (?, ?, ?)")) {
            insert.setLong(1, seq);
            if (id == null) {
                insert.setNull(2, Types.VARCHAR);
            } else {
                insert.setString(2, id.hex());
            }
            insert.setLong(3, atMillis);
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
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, session_id FROM " + tables.purges()
                + " WHERE seq > ? AND seq <= ? ORDER BY seq")) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            List<Purge> purges = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    purges.add(new Purge(rs.getLong(1), rs.getString(2)));
                }
            }
            return purges;
        }
    }

    /** Deletes purges recorded before {@code beforeMillis}; a node that missed them drops its whole cache. */
    void deleteBefore(Connection c, long beforeMillis) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + tables.purges() + " WHERE purged_at < ?")) {
            ps.setLong(1, beforeMillis);
            ps.executeUpdate();
        }
    }
}
