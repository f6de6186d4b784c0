package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.session.SessionStore;

class SecretsAtRestTest {

    private static final Duration FLUSH = Duration.ofSeconds(10);

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theSecretColumnHoldsNoPlaintextAndNamesTheDataKey(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            SessionRecord record = Sessions.live();
            a.sessionStore().store(record);
            assertTrue(a.flush(FLUSH));

            Row row = row(f, record);
            assertEquals(f.keys.currentKeyId(), row.keyId());
            assertEquals(-1, indexOf(row.secret(), record.secretState()), "the secret state is in the clear");
            assertEquals(-1, indexOf(row.secret(), Arrays.copyOf(record.secretState(), 8)),
                    "part of the secret state is in the clear");
            assertTrue(row.secret().length > record.secretState().length, "sealed secrets carry a nonce and a tag");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aNodeWithAnotherDataKeyTreatsTheRowAsAMissAndDeletesIt(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            SessionRecord record = Sessions.live();
            a.sessionStore().store(record);
            assertTrue(a.flush(FLUSH));
            ResumptionMetrics metrics = new ResumptionMetrics();
            SessionStore stranger = f.node("stranger", metrics, b -> b.dataKeys(TestKeys.fresh())).sessionStore();

            assertNull(stranger.retrieve(record.id(), Sessions.now()));

            assertEquals(1, metrics.snapshot().storeErrors());
            assertEquals(0, JdbcSessionStoreTest.count(f, "sessions"), "the unreadable row is gone");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aDamagedSecretIsAMissAndTheRowIsDeleted(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            SessionRecord record = Sessions.live();
            a.sessionStore().store(record);
            assertTrue(a.flush(FLUSH));
            byte[] damaged = row(f, record).secret();
            damaged[damaged.length / 2] ^= 1;
            try (Connection c = f.connect(); PreparedStatement ps = c.prepareStatement(
                    "UPDATE " + f.table("sessions") + " SET secret = ? WHERE id = ?")) {
                ps.setBytes(1, damaged);
                ps.setString(2, record.id().hex());
                assertEquals(1, ps.executeUpdate());
            }
            ResumptionMetrics metrics = new ResumptionMetrics();

            assertNull(f.node("b", metrics, b -> b).sessionStore().retrieve(record.id(), Sessions.now()));

            assertEquals(1, metrics.snapshot().storeErrors());
            assertEquals(0, JdbcSessionStoreTest.count(f, "sessions"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aSecretMovedToAnotherRowDoesNotOpen(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            SessionRecord victim = Sessions.live();
            SessionRecord attacker = Sessions.live();
            a.sessionStore().store(victim);
            a.sessionStore().store(attacker);
            assertTrue(a.flush(FLUSH));
            try (Connection c = f.connect(); PreparedStatement ps = c.prepareStatement(
                    "UPDATE " + f.table("sessions") + " SET secret = ? WHERE id = ?")) {
                ps.setBytes(1, row(f, victim).secret());
                ps.setString(2, attacker.id().hex());
                ps.executeUpdate();
            }

            assertNull(f.node("b").sessionStore().retrieve(attacker.id(), Sessions.now()));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRotatedKeyFileReadsOldRowsAndWritesNewOnesUnderTheNewKey(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            String oldKey = TestKeys.line();
            String newKey = TestKeys.line();
            DataKeys before = DataKeys.parse(oldKey);
            DataKeys after = DataKeys.parse(newKey + "\n" + oldKey + "\n");
            JdbcStores oldNode = f.node("old", new ResumptionMetrics(), b -> b.dataKeys(before));
            SessionRecord written = Sessions.live();
            oldNode.sessionStore().store(written);
            assertTrue(oldNode.flush(FLUSH));

            JdbcStores rotated = f.node("rotated", new ResumptionMetrics(), b -> b.dataKeys(after));
            assertEquals(written, rotated.sessionStore().retrieve(written.id(), Sessions.now()));
            SessionRecord fresh = Sessions.live();
            rotated.sessionStore().store(fresh);
            assertTrue(rotated.flush(FLUSH));

            assertEquals(before.currentKeyId(), row(f, written).keyId());
            assertEquals(after.currentKeyId(), row(f, fresh).keyId());
            assertNotEquals(before.currentKeyId(), after.currentKeyId());
            JdbcStores rotatedToo = f.node("rotated-too", new ResumptionMetrics(), b -> b.dataKeys(after));
            assertEquals(fresh, rotatedToo.sessionStore().retrieve(fresh.id(), Sessions.now()));
        }
    }

    private record Row(String keyId, byte[] secret) {
    }

    private static Row row(Fixture f, SessionRecord record) throws Exception {
        try (Connection c = f.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT key_id, secret FROM " + f.table("sessions") + " WHERE id = ?")) {
            ps.setString(1, record.id().hex());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no row for " + record);
                return new Row(rs.getString(1), rs.getBytes(2));
            }
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
