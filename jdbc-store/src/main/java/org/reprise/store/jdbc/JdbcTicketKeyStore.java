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
import org.jspecify.annotations.Nullable;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.ticket.TicketKey;
import org.reprise.core.ticket.TicketKeyStore;

/**
 * Ticket keys in the database, shared by every node: the {@code generation} primary key is the unique
 * constraint that lets exactly one node claim each new generation, which is all leaderless rotation
 * needs. Key bytes are sealed with the data key, bound to their generation, name and times (created,
 * encrypt_until, decrypt_until), so that someone who can write to the table without the data key cannot keep
 * a key sealing or opening tickets longer than it was made for: a rewritten row no longer opens. A key that
 * does not open here is reported in {@link #contents()} as unreadable (counted once, logged once with its data key
 * ID), never deleted for it: the other nodes may well be able to use it. Thread-safe.
 */
final class JdbcTicketKeyStore implements TicketKeyStore {

    private static final Logger LOG = Logger.getLogger(JdbcTicketKeyStore.class.getPackageName());
    /**
     * Names what the associated data binds. Rows of the first format ("reprise ticket key": generation and
     * name only) do not open under it: they are unreadable rows, left to expire, and the ring stores a new key
     * above them (the data key check judges by data key ID, so a node upgraded onto them still starts).
     */
    private static final String PURPOSE = "reprise ticket key v2";
    private static final HexFormat HEX = HexFormat.of();
    /** Bounds what a table full of foreign rows can make this node remember and log. */
    private static final int MAX_REPORTED_GENERATIONS = 1000;

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
        return contents().keys();
    }

    /**
     * Reads every row in one query. A row whose secret does not open here (another data key, or damage) is
     * reported as unreadable, with its generation, expiry and data key ID, so that the ring takes no
     * generation it holds and deletes it only once it has expired; it is never deleted for being unreadable.
     */
    @Override
    public Contents contents() {
        return db.call("load ticket keys", (c, d) -> {
            List<TicketKey> keys = new ArrayList<>();
            List<UnreadableKey> unreadable = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT generation, name, key_id, secret, created,"
                    + " encrypt_until, decrypt_until FROM " + table);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long generation = rs.getLong(1);
                    String keyId = rs.getString(3);
                    Instant created = Instant.ofEpochMilli(rs.getLong(5));
                    Instant encryptUntil = Instant.ofEpochMilli(rs.getLong(6));
                    Instant decryptUntil = Instant.ofEpochMilli(rs.getLong(7));
                    byte @Nullable [] name = parseName(rs.getString(2));
                    // the times read are the times bound: a row whose times were changed does not open
                    byte @Nullable [] bytes = name == null ? null : cipher.open(keyId, rs.getBytes(4),
                            associatedData(generation, name, created, encryptUntil, decryptUntil));
                    @Nullable TicketKey key = bytes == null || name == null ? null
                            : key(generation, name, bytes, created, encryptUntil, decryptUntil);
                    if (key == null) {
                        unreadable.add(new UnreadableKey(generation, decryptUntil, String.valueOf(keyId)));
                        skip(generation, keyId);
                    } else {
                        keys.add(key);
                    }
                }
            }
            return new Contents(keys, unreadable);
        });
    }

    private static byte @Nullable [] parseName(@Nullable String hex) {
        try {
            byte[] name = HEX.parseHex(String.valueOf(hex));
            return name.length == TicketKey.NAME_LENGTH ? name : null;
        } catch (IllegalArgumentException notHex) {
            return null;
        }
    }

    /** @return the key, or null if the row's times do not make one (the bytes are wiped either way) */
    private static @Nullable TicketKey key(long generation, byte[] name, byte[] bytes, Instant created,
            Instant encryptUntil, Instant decryptUntil) {
        try {
            return new TicketKey(generation, name, bytes, created, encryptUntil, decryptUntil);
        } catch (IllegalArgumentException badRow) {
            return null;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public boolean add(TicketKey key) {
        byte[] name = key.name();
        byte[] bytes = key.keyBytes();
        SecretCipher.Sealed sealed = cipher.seal(bytes, associatedData(key.generation(), name, key.created(),
                key.encryptUntil(), key.decryptUntil()));
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

    /**
     * Counts a row this node cannot open once, and says so once, naming its generation and data key ID, and
     * the likely cause: a data key this node lacks, or (under a key it has) a row that is not as it was sealed.
     */
    private void skip(long generation, @Nullable String keyId) {
        if (reportedGenerations.size() < MAX_REPORTED_GENERATIONS && reportedGenerations.add(generation)) {
            metrics.ticketKeyUnreadable();
            String cause = cipher.hasKey(keyId)
                    ? "does not open although this node has that data key: the row was changed in the database"
                            + " (its times or name), or was written by a Reprise version that did not bind a key's"
                            + " times, or by a node of another version"
                    : "does not decrypt with this node's data keys (" + cipher.keyIds() + "). Every node must have"
                            + " every data key in use";
            LOG.warning("Reprise JDBC store: ticket key generation " + generation + " (data key ID " + keyId + ") "
                    + cause + "; this node cannot open tickets sealed under it, and leaves the row alone until it"
                    + " expires.");
        }
    }

    /** Binds a key's bytes to its row: generation, name, and its times as the columns hold them (milliseconds). */
    private static byte[] associatedData(long generation, byte[] name, Instant created, Instant encryptUntil,
            Instant decryptUntil) {
        return SecretCipher.associatedData(PURPOSE, ByteBuffer.allocate(4 * Long.BYTES + name.length)
                .putLong(generation).put(name).putLong(created.toEpochMilli()).putLong(encryptUntil.toEpochMilli())
                .putLong(decryptUntil.toEpochMilli()).array());
    }
}
