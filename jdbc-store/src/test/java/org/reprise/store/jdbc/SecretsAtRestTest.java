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
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
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

    /**
     * Seen with a node started on the wrong data key: it deleted every session row it could not decrypt,
     * that is, the other nodes' sessions. A row whose data key this node lacks is a miss and stays.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aNodeWithAnotherDataKeyMissesButLeavesTheRowsAndSaysSoOncePerKeyId(TestDatabase database)
            throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            SessionRecord one = Sessions.live();
            SessionRecord two = Sessions.live();
            a.sessionStore().store(one);
            a.sessionStore().store(two);
            assertTrue(a.flush(FLUSH));
            ResumptionMetrics metrics = new ResumptionMetrics();
            // told that its key is new: without that, a node whose key opens no row in use does not start
            SessionStore stranger = f.node("stranger", metrics,
                    b -> patient(b).dataKeys(TestKeys.fresh()).dataKeyRollIn(true)).sessionStore();

            try (LogCapture log = new LogCapture()) {
                assertNull(stranger.retrieve(one.id(), Sessions.now()));
                assertNull(stranger.retrieve(two.id(), Sessions.now()));
                assertNull(stranger.retrieve(one.id(), Sessions.now()));

                assertEquals(2, JdbcSessionStoreTest.count(f, "sessions"), "the rows it cannot open are kept");
                assertEquals(3, metrics.snapshot().sessionsUnreadable(), "each such lookup is counted");
                assertEquals(0, metrics.snapshot().storeErrors(), "the store did not fail");
                List<String> warnings = log.at(Level.WARNING).stream().map(LogRecord::getMessage).toList();
                assertEquals(1, warnings.size(), warnings::toString);
                assertTrue(warnings.get(0).contains(f.keys.currentKeyId()), warnings.get(0));
            }
            assertEquals(one, f.node("c", new ResumptionMetrics(), SecretsAtRestTest::patient).sessionStore()
                    .retrieve(one.id(), Sessions.now()),
                    "the session still resumes on the nodes that have its key");
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

            assertNull(f.node("b", metrics, SecretsAtRestTest::patient).sessionStore()
                    .retrieve(record.id(), Sessions.now()));

            assertEquals(1, metrics.snapshot().storeErrors());
            assertEquals(0, metrics.snapshot().sessionsUnreadable(), "its data key is this node's own");
            assertEquals(0, JdbcSessionStoreTest.count(f, "sessions"), "a row no node can open is deleted");
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

            JdbcStores rotated = f.node("rotated", new ResumptionMetrics(), b -> patient(b).dataKeys(after));
            assertEquals(written, rotated.sessionStore().retrieve(written.id(), Sessions.now()));
            SessionRecord fresh = Sessions.live();
            rotated.sessionStore().store(fresh);
            assertTrue(rotated.flush(FLUSH));

            assertEquals(before.currentKeyId(), row(f, written).keyId());
            assertEquals(after.currentKeyId(), row(f, fresh).keyId());
            assertNotEquals(before.currentKeyId(), after.currentKeyId());
            JdbcStores rotatedToo = f.node("rotated-too", new ResumptionMetrics(), b -> patient(b).dataKeys(after));
            assertEquals(fresh, rotatedToo.sessionStore().retrieve(fresh.id(), Sessions.now()));
        }
    }

    /**
     * The longest lookup budget: these tests look at what a lookup finds, not at its speed, and a node's first
     * lookup on a busy machine can take longer than the 50 ms default.
     */
    private static JdbcStoreConfig.Builder patient(JdbcStoreConfig.Builder b) {
        return b.retrieveBudget(Duration.ofSeconds(10));
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
