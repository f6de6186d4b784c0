package org.reprise.store.jdbc;

import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.ticket.TicketKey;
import org.reprise.core.ticket.TicketKeyStore;

/**
 * Ticket keys in the database, shared by every node: the {@code generation} primary key is the unique
 * constraint that lets exactly one node claim each new generation, which is all leaderless rotation
 * needs. Key bytes are sealed with the data key, bound to their generation and name. A key that does not
 * open here is skipped (and counted), never deleted: the other nodes may well be able to use it.
 * Thread-safe.
 */
final class JdbcTicketKeyStore implements TicketKeyStore {

    private static final Logger LOG = Logger.getLogger(JdbcTicketKeyStore.class.getPackageName());
    private static final String PURPOSE = "reprise ticket key";
    private static final HexFormat HEX = HexFormat.of();

    private final Database db;
    private final String table;
    private final SecretCipher cipher;
    private final ResumptionMetrics metrics;
    private final Set<Long> reportedGenerations = ConcurrentHashMap.newKeySet();

    JdbcTicketKeyStore(Database db, SecretCipher cipher, ResumptionMetrics metrics) {
        this.db = db;
        this.table = db.tables().ticketKeys();
        this.cipher = cipher;
        this.metrics = metrics;
    }

    @Override
    public List<TicketKey> load() {
        return db.call("load ticket keys", (c, d) -> {
            List<TicketKey> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT generation, name, key_id, secret, created,"
                    + " encrypt_until, decrypt_until FROM " + table);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long generation = rs.getLong(1);
                    byte[] name = HEX.parseHex(rs.getString(2));
                    byte[] bytes = cipher.open(rs.getString(3), rs.getBytes(4), associatedData(generation, name));
                    if (bytes == null) {
                        skip(generation);
                        continue;
                    }
                    keys.add(new TicketKey(generation, name, bytes, Instant.ofEpochMilli(rs.getLong(5)),
                            Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7))));
                    Arrays.fill(bytes, (byte) 0);
                }
            }
            return keys;
        });
    }

    @Override
    public boolean add(TicketKey key) {
        byte[] name = key.name();
        byte[] bytes = key.keyBytes();
        SecretCipher.Sealed sealed = cipher.seal(bytes, associatedData(key.generation(), name));
        Arrays.fill(bytes, (byte) 0);
        return db.call("add ticket key", (c, d) -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (generation, name, key_id,"
                    + " secret, created, encrypt_until, decrypt_until) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, key.generation());
                ps.setString(2, HEX.formatHex(name));
                ps.setString(3, sealed.keyId());
                ps.setBytes(4, sealed.bytes());
                ps.setLong(5, key.created().toEpochMilli());
                ps.setLong(6, key.encryptUntil().toEpochMilli());
                ps.setLong(7, key.decryptUntil().toEpochMilli());
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (Dialect.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public void removeBelow(long generation) {
        db.call("remove ticket keys", (c, d) -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE generation < ?")) {
                ps.setLong(1, generation);
                return ps.executeUpdate();
            }
        });
    }

    private void skip(long generation) {
        metrics.storeError();
        if (reportedGenerations.add(generation)) {
            LOG.warning("Reprise JDBC store: ticket key generation " + generation + " does not decrypt with this"
                    + " node's data keys; this node cannot open tickets sealed under it. Every node must have"
                    + " every data key in use.");
        }
    }

    private static byte[] associatedData(long generation, byte[] name) {
        return SecretCipher.associatedData(PURPOSE,
                ByteBuffer.allocate(Long.BYTES + name.length).putLong(generation).put(name).array());
    }
}
