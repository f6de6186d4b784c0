package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.reprise.core.internal.ticket.TicketSealer;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.ticket.TicketKey;
import org.reprise.core.ticket.TicketKeyRing;
import org.reprise.core.ticket.TicketKeyStore;

/**
 * Someone who can write to the ticket keys table but has no data key rewrites a key's times: made earlier,
 * sealing longer, opening tickets longer (to keep a key they learned in use). The key must stop opening
 * tickets; its row is unreadable, reported and counted, never deleted by this node, and the ring moves on to
 * a new key.
 */
class TamperedTicketKeysTest {

    private static final Duration ROTATION = Duration.ofHours(12);
    private static final Duration TICKET_LIFETIME = Duration.ofHours(1);
    private static final byte[] STATE = "session state".getBytes(StandardCharsets.UTF_8);
    /** The associated data's purpose before the key times were bound, as the previous release wrote it. */
    private static final String OLD_PURPOSE = "reprise ticket key";

    static Stream<Arguments> rewrites() {
        return Arrays.stream(TestDatabase.values()).flatMap(db -> Stream.of(
                new ColumnRewrite("created", "created - 3600000"),
                // half an hour: within the hour the key then still opens tickets, so the row still makes a key
                new ColumnRewrite("encrypt_until", "encrypt_until + 1800000"),
                new ColumnRewrite("decrypt_until", "decrypt_until + 604800000"))
                .map(rewrite -> Arguments.of(db, rewrite)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rewrites")
    void aRewrittenKeyTimeStopsTheKeyOpeningTickets(TestDatabase database, ColumnRewrite rewrite) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            ResumptionMetrics metrics = new ResumptionMetrics();
            TicketKeyRing ring = ring(f.node("a", metrics, b -> b).ticketKeyStore());
            ring.refresh();
            TicketKey key = ring.encryptionKey();
            TicketSealer sealer = new TicketSealer(ring, new SecureRandom());
            byte[] ticket = sealer.seal(STATE);
            assertArrayEquals(STATE, sealer.open(ticket).plaintext(), "the ticket opens before the rewrite");
            try (Connection c = f.connect(); PreparedStatement ps = c.prepareStatement("UPDATE "
                    + f.table("ticket_keys") + " SET " + rewrite.column() + " = " + rewrite.value()
                    + " WHERE generation = ?")) {
                ps.setLong(1, key.generation());
                assertEquals(1, ps.executeUpdate());
            }

            List<String> warnings;
            try (LogCapture log = new LogCapture()) {
                ring.refresh();
                warnings = log.at(Level.WARNING).stream().map(LogRecord::getMessage).toList();
            }

            assertNull(sealer.open(ticket).plaintext(), rewrite.column() + " rewritten, the key still opens tickets");
            assertTrue(warnings.stream().anyMatch(m -> m.contains("ticket key generation " + key.generation())
                    && m.contains("changed in the database")), warnings::toString);
            assertEquals(List.of(key.generation()), ring.unreadableKeys().stream()
                    .map(TicketKeyStore.UnreadableKey::generation).toList(), "reported unreadable");
            assertEquals(1, metrics.snapshot().ticketKeysUnreadable(), "counted");
            assertTrue(ring.encryptionKey().generation() > key.generation(), "rotation moved on: "
                    + ring.encryptionKey());
            assertTrue(f.ticketKeyGenerations().contains(key.generation()), "the row is left alone");
            TicketKeyRing other = ring(f.node("b").ticketKeyStore());
            other.refresh();
            assertNull(new TicketSealer(other, new SecureRandom()).open(ticket).plaintext(), "nor on another node");
        }
    }

    /**
     * The upgrade: a database holding only ticket keys written before their times were bound. They no longer
     * open, but their data key is this node's, so the node starts (DataKeyCheck judges by data key ID), leaves
     * them to expire, and nodes sharing the database meet on one new key above them.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void nodesOnADatabaseOfOldFormatKeysStartAndShareANewKey(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            f.node("schema").ticketKeyStore().load();
            long old = 5;
            insertOldFormat(f, old, Sessions.now());

            ResumptionMetrics metrics = new ResumptionMetrics();
            TicketKeyRing a = ring(f.node("a", metrics, b -> b).ticketKeyStore());
            TicketKeyRing b = ring(f.node("b").ticketKeyStore());
            a.refresh();
            b.refresh();

            TicketKey shared = a.encryptionKey();
            assertTrue(shared.generation() > old, "a new key above the old one: " + shared);
            assertEquals(shared.nameHex(), b.encryptionKey().nameHex(), "both nodes seal under one key");
            byte[] ticket = new TicketSealer(a, new SecureRandom()).seal(STATE);
            assertArrayEquals(STATE, new TicketSealer(b, new SecureRandom()).open(ticket).plaintext());
            assertEquals(1, metrics.snapshot().ticketKeysUnreadable(), "the old row is reported");
            assertEquals(List.of(old, shared.generation()), f.ticketKeyGenerations(), "and kept until it expires");
        }
    }

    /** Writes a live ticket key row as the previous release did: only generation and name bound. */
    private static void insertOldFormat(Fixture f, long generation, Instant created) throws Exception {
        byte[] name = new byte[TicketKey.NAME_LENGTH];
        byte[] bytes = new byte[TicketKey.KEY_LENGTH];
        new SecureRandom().nextBytes(name);
        new SecureRandom().nextBytes(bytes);
        byte[] associated = SecretCipher.associatedData(OLD_PURPOSE,
                ByteBuffer.allocate(Long.BYTES + name.length).putLong(generation).put(name).array());
        SecretCipher.Sealed sealed = new SecretCipher(f.keys).seal(bytes, associated);
        Instant encryptUntil = created.plus(ROTATION);
        try (Connection c = f.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO "
                + f.table("ticket_keys") + " (generation, name, key_id, secret, created, encrypt_until, decrypt_until)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, generation);
            ps.setString(2, HexFormat.of().formatHex(name));
            ps.setString(3, sealed.keyId());
            ps.setBytes(4, sealed.bytes());
            ps.setLong(5, created.toEpochMilli());
            ps.setLong(6, encryptUntil.toEpochMilli());
            ps.setLong(7, encryptUntil.plus(TICKET_LIFETIME).toEpochMilli());
            assertEquals(1, ps.executeUpdate());
        }
    }

    private static TicketKeyRing ring(TicketKeyStore store) {
        return new TicketKeyRing(ROTATION, TICKET_LIFETIME, Clock.systemUTC(), new SecureRandom(), k -> {
        }, store);
    }
}
