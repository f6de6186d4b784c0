package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.ticket.TicketKey;

/**
 * The check a node's first connection makes: a node whose data keys open none of the rows in use (live
 * sessions or ticket keys) refuses to start, so that one node with a wrong key cannot run beside the others.
 */
class DataKeyCheckTest {

    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration FLUSH = Duration.ofSeconds(10);

    /** What the cluster has in use: rows of both kinds, under the fixture's data key. */
    private static void clusterRows(Fixture f, boolean sessions, boolean ticketKeys) {
        JdbcStores a = f.node("a");
        if (sessions) {
            a.sessionStore().store(Sessions.live());
            assertTrue(a.flush(FLUSH));
        }
        if (ticketKeys) {
            Instant now = Sessions.now();
            assertTrue(a.ticketKeyStore().add(key(1, now, now.plus(Duration.ofHours(1)))));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aNodeWhoseDataKeysOpenNoSessionInUseRefusesToStart(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            clusterRows(f, true, false);
            assertRefused(f, TestKeys.fresh());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aNodeWhoseDataKeysOpenNoTicketKeyInUseRefusesToStart(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            clusterRows(f, false, true);
            assertRefused(f, TestKeys.fresh());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aNodeWithTheKeyInUseAmongItsKeysStarts(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            clusterRows(f, true, true);
            // step 2 of a data key rotation: a new key first, the one in use after it
            DataKeys rotated = DataKeys.parse(TestKeys.line() + "\n" + f.keyLine + "\n");

            assertTrue(f.opened("rotated", new ResumptionMetrics(), b -> b.dataKeys(rotated))
                    .sessionStore().awaitReady(READY));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aNewKeyBeingRolledInStartsAndLeavesTheRowsInUseAlone(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            clusterRows(f, true, true);
            ResumptionMetrics metrics = new ResumptionMetrics();

            JdbcStores rolledIn = f.opened("new", metrics, b -> b.dataKeys(TestKeys.fresh()).dataKeyRollIn(true));

            assertTrue(rolledIn.sessionStore().awaitReady(READY));
            assertEquals(0, rolledIn.ticketKeyStore().load().size());
            assertEquals(1, rolledIn.ticketKeyStore().contents().unreadable().size());
            assertEquals(1, JdbcSessionStoreTest.count(f, "sessions"));
            assertEquals(1, metrics.snapshot().ticketKeysUnreadable());
        }
    }

    /** A refused node is refused for good: no lookup, write or key load reaches the database. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRefusedNodeDoesNothingToTheRows(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            clusterRows(f, true, true);
            JdbcStores refused = f.opened("wrong", new ResumptionMetrics(), b -> b.dataKeys(TestKeys.fresh()));
            assertThrows(IllegalStateException.class, () -> refused.sessionStore().awaitReady(READY));

            assertThrows(SessionStoreUnavailableException.class, () -> refused.ticketKeyStore().load());
            assertThrows(SessionStoreUnavailableException.class, () -> refused.ticketKeyStore().removeBelow(99));
            assertThrows(SessionStoreUnavailableException.class, () -> refused.sessionStore().removeAll(Sessions.REALM));
            assertEquals(1, JdbcSessionStoreTest.count(f, "sessions"));
            assertEquals(1, JdbcSessionStoreTest.count(f, "ticket_keys"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void rowsThatHaveExpiredRefuseNoKey(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            a.sessionStore().store(Sessions.expired());
            assertTrue(a.flush(FLUSH));
            Instant now = Sessions.now();
            assertTrue(a.ticketKeyStore().add(key(1, now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)))));
            assertEquals(1, JdbcSessionStoreTest.count(f, "sessions"));

            assertTrue(f.opened("new", new ResumptionMetrics(), b -> b.dataKeys(TestKeys.fresh()))
                    .sessionStore().awaitReady(READY));
        }
    }

    private static void assertRefused(Fixture f, DataKeys wrong) {
        JdbcStores refused = f.opened("wrong", new ResumptionMetrics(), b -> b.dataKeys(wrong));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> refused.sessionStore().awaitReady(READY));
        String message = e.getMessage();
        for (String expected : new String[] {"dataKeyFile", "dataKeyEnv", "dataKeyRollIn", f.keys.currentKeyId(),
                wrong.currentKeyId()}) {
            assertTrue(message.contains(expected), "no " + expected + " in: " + message);
        }
    }

    private static TicketKey key(long generation, Instant created, Instant encryptUntil) {
        SecureRandom random = new SecureRandom();
        byte[] name = new byte[TicketKey.NAME_LENGTH];
        byte[] bytes = new byte[TicketKey.KEY_LENGTH];
        random.nextBytes(name);
        random.nextBytes(bytes);
        return new TicketKey(generation, name, bytes, created, encryptUntil, encryptUntil);
    }
}
