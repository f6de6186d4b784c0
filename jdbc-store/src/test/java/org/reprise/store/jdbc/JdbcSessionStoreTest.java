package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.SessionQuery;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.session.SessionStore;

class JdbcSessionStoreTest {

    private static final Duration FLUSH = Duration.ofSeconds(10);

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aSessionStoredOnOneNodeIsRetrievedOnAnother(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            JdbcStores b = f.node("b");
            SessionRecord record = Sessions.live();

            a.sessionStore().store(record);
            assertEquals(record, a.sessionStore().retrieve(record.id(), Sessions.now()), "served from a's cache");
            assertTrue(a.flush(FLUSH));

            assertEquals(record, b.sessionStore().retrieve(record.id(), Sessions.now()), "read from the database");
            assertNull(b.sessionStore().retrieve(Sessions.newId(), Sessions.now()));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aLaterWriteReplacesTheRow(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            SessionRecord record = Sessions.live();
            a.sessionStore().store(record);
            SessionRecord resumed = record.resumedAt(Sessions.now());
            a.sessionStore().store(resumed);
            assertTrue(a.flush(FLUSH));

            assertEquals(resumed, f.node("b").sessionStore().retrieve(record.id(), Sessions.now()));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aResumptionUpdatesTheRowsCountAndTimeOnly(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            SessionRecord record = Sessions.live();
            a.sessionStore().store(record);
            Instant first = Sessions.now();
            for (int i = 0; i < 3; i++) {
                a.sessionStore().recordResumption(record.id(), first.plusSeconds(i));
            }
            assertTrue(a.flush(FLUSH));

            SessionRecord read = f.node("b").sessionStore().retrieve(record.id(), Sessions.now());
            assertNotNull(read);
            assertEquals(3, read.resumeCount());
            assertEquals(first.plusSeconds(2).toEpochMilli(), read.lastResumed().toEpochMilli());
            assertEquals(record.toBuilder().resumeCount(3).lastResumed(read.lastResumed()).build(), read);
        }
    }

    /** Someone with write access saves a session's row, the session is purged, and the row goes back in. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aPurgedRowInsertedAgainDoesNotResume(TestDatabase database) throws Exception {
        for (boolean purgeAll : new boolean[] {false, true}) {
            try (Fixture f = Fixture.on(database)) {
                JdbcStores a = f.node("a");
                SessionRecord record = Sessions.live();
                a.sessionStore().store(record);
                assertTrue(a.flush(FLUSH));
                List<Object> saved = f.savedRow(record);

                JdbcStores b = f.node("b");
                if (purgeAll) {
                    assertEquals(1, b.sessionStore().removeAll(Sessions.REALM));
                } else {
                    assertTrue(b.sessionStore().remove(record.id()));
                }
                f.putBack(saved);
                assertEquals(1, count(f, "sessions"), "the row is back");

                assertNull(f.node("c").sessionStore().retrieve(record.id(), Sessions.now()),
                        purgeAll ? "after removing all" : "after removing it");
                SessionRecord later = Sessions.live();
                a.sessionStore().store(later);
                assertTrue(a.flush(FLUSH));
                assertNotNull(f.node("d").sessionStore().retrieve(later.id(), Sessions.now()),
                        "a session made after the purge resumes");
            }
        }
    }

    /** A resumption in flight while another node purges the session must not write it back. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aResumptionAfterAPurgeDoesNotBringTheSessionBack(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            JdbcStores b = f.node("b");
            SessionRecord record = Sessions.live();
            a.sessionStore().store(record);
            assertTrue(a.flush(FLUSH));
            assertNotNull(a.sessionStore().retrieve(record.id(), Sessions.now()), "read at the ClientHello");

            assertTrue(b.sessionStore().remove(record.id()));
            a.sessionStore().recordResumption(record.id(), Sessions.now());
            assertTrue(a.flush(FLUSH));

            assertEquals(0, count(f, "sessions"), "the purged row stays gone");
            assertNull(b.sessionStore().retrieve(record.id(), Sessions.now()));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void closingWritesWhatIsQueuedSoARestartedNodeFindsIt(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores before = f.node("a");
            List<SessionRecord> records = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                SessionRecord r = Sessions.live();
                records.add(r);
                before.sessionStore().store(r);
            }
            before.close();

            SessionStore after = f.node("a").sessionStore();
            for (SessionRecord r : records) {
                assertEquals(r, after.retrieve(r.id(), Sessions.now()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anExpiredSessionIsNeverReturnedEvenBeforeASweep(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            SessionRecord expired = Sessions.expired();
            SessionRecord expiring = Sessions.live();
            a.sessionStore().store(expired);
            a.sessionStore().store(expiring);
            assertTrue(a.flush(FLUSH));
            SessionStore b = f.node("b").sessionStore();

            assertNull(a.sessionStore().retrieve(expired.id(), Sessions.now()), "not from the cache");
            assertNull(b.retrieve(expired.id(), Sessions.now()), "not from the database");
            assertNull(a.sessionStore().retrieve(expiring.id(), expiring.expires()), "expires is exclusive");
            assertNull(b.retrieve(expiring.id(), expiring.expires()));
            assertNotNull(b.retrieve(expiring.id(), expiring.expires().minusMillis(1)));
            assertEquals(2, count(f, "sessions"), "no sweep has run");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void sweepingDeletesEveryExpiredRowInBatchesAndCountsThem(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            List<SessionRecord> live = storeMany(a, 2_500, 10);

            assertEquals(2_500, a.sessionStore().sweepExpired(Sessions.now()));
            assertEquals(10, count(f, "sessions"));
            for (SessionRecord r : live) {
                assertNotNull(f.node("b").sessionStore().retrieve(r.id(), Sessions.now()));
            }
            assertEquals(0, a.sessionStore().sweepExpired(Sessions.now()), "nothing left to sweep");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void nodesSweepingAtOnceDeleteEachRowOnce(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            storeMany(a, 5_000, 5);
            List<SessionStore> sweepers = List.of(a.sessionStore(), f.node("b").sessionStore(),
                    f.node("c").sessionStore());
            CyclicBarrier start = new CyclicBarrier(sweepers.size());
            ExecutorService pool = Executors.newFixedThreadPool(sweepers.size());
            try {
                List<Future<Long>> swept = new ArrayList<>();
                for (SessionStore sweeper : sweepers) {
                    swept.add(pool.submit(() -> {
                        start.await();
                        return sweeper.sweepExpired(Sessions.now());
                    }));
                }
                long total = 0;
                for (Future<Long> s : swept) {
                    total += s.get();
                }
                assertEquals(5_000, total);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(5, count(f, "sessions"));
        }
    }

    /**
     * A node that serves a session before its purge poller's first poll, from a lookup that ran before a purge on
     * another node, must still drop it: the first poll cannot tell which purges came before what it cached.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aPurgeBeforeTheFirstPollStillReachesWhatWasCached(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database); HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(database.url());
            pool.setUsername(database.user());
            CountDownLatch firstPoll = new CountDownLatch(1);
            JdbcStores a = f.node("a");
            JdbcStores b = f.node("b", new ResumptionMetrics(), config -> config.jdbcUrl(null)
                    .dataSource(() -> pollerWaitsFor(firstPoll, pool)));
            SessionRecord gone = Sessions.live();
            a.sessionStore().store(gone);
            assertTrue(a.flush(FLUSH));
            assertNotNull(b.sessionStore().retrieve(gone.id(), Sessions.now()), "now in b's cache");
            assertTrue(a.sessionStore().remove(gone.id()));

            firstPoll.countDown();
            assertGoneOnceItsPurgeIsPolled(b.sessionStore(), gone);
        }
    }

    /** @return {@code pool}, except that the purge poller's thread waits for {@code gate} to get a connection */
    private static DataSource pollerWaitsFor(CountDownLatch gate, DataSource pool) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")
                            && Thread.currentThread().getName().startsWith("reprise-jdbc-purges")) {
                        gate.await();
                    }
                    try {
                        return method.invoke(pool, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void removingDeletesTheRowAndIsSeenByEveryNode(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            JdbcStores b = f.node("b");
            SessionRecord gone = Sessions.live();
            SessionRecord kept = Sessions.live();
            a.sessionStore().store(gone);
            a.sessionStore().store(kept);
            assertTrue(a.flush(FLUSH));
            assertNotNull(b.sessionStore().retrieve(gone.id(), Sessions.now()), "now in b's cache");

            assertTrue(a.sessionStore().remove(gone.id()));

            assertGoneOnceItsPurgeIsPolled(b.sessionStore(), gone);
            assertNotNull(b.sessionStore().retrieve(kept.id(), Sessions.now()));
            assertFalse(a.sessionStore().remove(gone.id()), "already removed");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void removingAllIsSeenByEveryNode(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            JdbcStores b = f.node("b");
            List<SessionRecord> records = List.of(Sessions.live(), Sessions.live(), Sessions.live());
            records.forEach(a.sessionStore()::store);
            assertTrue(a.flush(FLUSH));
            records.forEach(r -> assertNotNull(b.sessionStore().retrieve(r.id(), Sessions.now())));

            assertEquals(3, a.sessionStore().removeAll(Sessions.REALM));

            for (SessionRecord r : records) {
                assertGoneOnceItsPurgeIsPolled(b.sessionStore(), r);
            }
            assertEquals(0, count(f, "sessions"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRemovedSessionStillQueuedForWritingIsNotWrittenBack(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            List<SessionRecord> records = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                SessionRecord r = Sessions.live();
                records.add(r);
                a.sessionStore().store(r);
            }
            SessionRecord last = records.get(records.size() - 1);
            assertTrue(a.sessionStore().remove(last.id()));
            assertTrue(a.flush(FLUSH));

            assertNull(f.node("b").sessionStore().retrieve(last.id(), Sessions.now()));
            assertEquals(records.size() - 1, count(f, "sessions"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void nodesStartingTogetherCreateTheSchemaOnce(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            List<JdbcStores> nodes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                nodes.add(f.node("n" + i));
            }
            CyclicBarrier start = new CyclicBarrier(nodes.size());
            ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
            try {
                List<Future<Long>> listed = new ArrayList<>();
                for (JdbcStores node : nodes) {
                    listed.add(pool.submit(() -> {
                        start.await();
                        return node.sessionStore().list(SessionQuery.all(), Sessions.now()).total();
                    }));
                }
                for (Future<Long> total : listed) {
                    assertEquals(0, total.get());
                }
            } finally {
                pool.shutdownNow();
            }
            try (Connection c = f.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT version FROM " + f.table("schema_version") + " ORDER BY version")) {
                List<Integer> versions = new ArrayList<>();
                while (rs.next()) {
                    versions.add(rs.getInt(1));
                }
                assertEquals(List.of(1, 2, 3, 4, 5), versions);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void withoutSchemaCreationANodeRefusesAMissingSchema(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            SessionStore store = f.opened("a", new ResumptionMetrics(), b -> b.createSchema(false)).sessionStore();
            SessionStoreUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(
                    SessionStoreUnavailableException.class, () -> store.list(SessionQuery.all(), Sessions.now()));
            assertTrue(e.getMessage().contains("jdbcCreateSchema=true"), e.getMessage());

            f.node("b").sessionStore().list(SessionQuery.all(), Sessions.now());
            assertEquals(0, store.list(SessionQuery.all(), Sessions.now()).total(), "works once the schema exists");
        }
    }

    /** Stores {@code expired} expired and {@code live} live sessions through the node and flushes. */
    static List<SessionRecord> storeMany(JdbcStores node, int expired, int live) {
        List<SessionRecord> lives = new ArrayList<>();
        for (int i = 0; i < expired; i++) {
            node.sessionStore().store(Sessions.expired());
        }
        for (int i = 0; i < live; i++) {
            SessionRecord r = Sessions.live();
            lives.add(r);
            node.sessionStore().store(r);
        }
        assertTrue(node.flush(FLUSH));
        return lives;
    }

    static long count(Fixture f, String table) throws Exception {
        try (Connection c = f.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + f.table(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Waits until the other node's purge poller (every 250 ms) has dropped the session. The limit is generous:
     * it only decides how long a broken purge takes to fail, never how fast a busy machine must be.
     */
    private static void assertGoneOnceItsPurgeIsPolled(SessionStore store, SessionRecord record)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (store.retrieve(record.id(), Sessions.now()) != null) {
            assertTrue(System.nanoTime() < deadline, "still served after 30 s: " + record);
            Thread.sleep(10);
        }
    }
}
