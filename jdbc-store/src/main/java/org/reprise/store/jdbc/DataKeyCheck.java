package org.reprise.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The check a node makes at its first connection, once the schema is in place: do its data keys open any
 * of the rows in use? A node whose keys open none of them could read nothing the other nodes wrote, and they
 * nothing it writes; it must not run beside them.
 *
 * <p>The rule, exactly: the rows in use are the ticket keys whose {@code decrypt_until} is in the future and
 * the {@value #SESSIONS_SAMPLED} most recently created sessions whose {@code expires} is in the future (a
 * bounded, indexed read, whatever the table's size). If there is at least one such row and none of their
 * {@code key_id}s is the ID of one of this node's data keys (any of them, not only the first), the node
 * refuses to start, unless it was told that its key is a new one being rolled in ({@code dataKeyRollIn}).
 * An empty table, or one whose rows have all expired, refuses nobody.
 */
final class DataKeyCheck {

    /** How many of the newest live sessions are read. */
    static final int SESSIONS_SAMPLED = 100;

    private static final Logger LOG = Logger.getLogger(DataKeyCheck.class.getPackageName());

    private final DataKeys keys;
    private final boolean rollIn;

    /**
     * @param keys   this node's data keys
     * @param rollIn whether this node's key may be one that no row uses yet
     */
    DataKeyCheck(DataKeys keys, boolean rollIn) {
        this.keys = keys;
        this.rollIn = rollIn;
    }

    /**
     * @param c         a connection to a database whose schema is in place
     * @param tables    the tables to look at
     * @param nowMillis the time, in epoch milliseconds
     * @return why this node must not start, naming what to set; null if it may
     */
    @Nullable String refusal(Connection c, Tables tables, long nowMillis) throws SQLException {
        Set<String> inUse = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT key_id FROM " + tables.ticketKeys() + " WHERE decrypt_until > ?")) {
            ps.setLong(1, nowMillis);
            collect(ps, inUse);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT key_id FROM " + tables.sessions()
                + " WHERE expires > ? ORDER BY created DESC")) {
            ps.setMaxRows(SESSIONS_SAMPLED);
            ps.setLong(1, nowMillis);
            collect(ps, inUse);
        }
        if (inUse.isEmpty() || !Collections.disjoint(inUse, keys.keyIds())) {
            return null;
        }
        if (rollIn) {
            LOG.warning("Reprise JDBC store: this node's data keys " + keys.keyIds() + " open none of the rows in use"
                    + " in the tables " + tables.prefix() + "* (sealed under data key IDs " + inUse + "); starting"
                    + " anyway because dataKeyRollIn is set. Those rows are left alone and are misses here.");
            return null;
        }
        return "Reprise JDBC store: this node's data keys (IDs " + keys.keyIds() + ") open none of the rows in use"
                + " in the tables " + tables.prefix() + "*, which are sealed under data key IDs " + inUse + ". With"
                + " a key the other nodes lack this node could resume none of their sessions and tickets, nor they"
                + " its own, so it does not start. Give it the cluster's data key: set dataKeyFile (or the"
                + " environment variable named by dataKeyEnv, " + JdbcStoreProvider.DEFAULT_DATA_KEY_ENV
                + " by default) to the same keys as the other nodes; to move to a new data key, add it next to"
                + " the one in use (jdbc-store/README.md, Data keys). Only if this key is meant to replace the"
                + " one in use, giving up the rows sealed under it, set dataKeyRollIn=\"true\" on this node's"
                + " connector.";
    }

    private static void collect(PreparedStatement ps, Set<String> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String keyId = rs.getString(1);
                if (keyId != null) {
                    into.add(keyId);
                }
            }
        }
    }
}
