package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.session.SessionStore;

/** PostgreSQL behind a {@link TcpProxy}: a database that hangs, then one that is gone, then back. */
class OutageTest {

    /**
     * Far below the 10 s socket timeout a hanging database would cost without the budget, far above what a
     * busy machine adds.
     */
    private static final Duration QUICK = Duration.ofSeconds(5);

    @Test
    void aHangingOrVanishedDatabaseCostsFullHandshakesOnlyAndIsLoggedOncePerOutage() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5432); Fixture f = Fixture.on(TestDatabase.POSTGRESQL);
                LogCapture log = new LogCapture()) {
            ResumptionMetrics metrics = new ResumptionMetrics();
            JdbcStores node = f.node("a", metrics, b -> b.retrieveBudget(Duration.ofMillis(50))
                    .jdbcUrl("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test").writeQueueCapacity(50));
            SessionStore store = node.sessionStore();
            SessionRecord cached = Sessions.live();
            store.store(cached);
            assertTrue(node.flush(Duration.ofSeconds(10)));

            proxy.pause();
            assertFailsQuickly(store);
            assertEquals(0, metrics.snapshot().storeErrors(), "a failure the caller sees is the caller's to count");
            assertEquals(cached, store.retrieve(cached.id(), Sessions.now()), "the cache still answers");
            proxy.resume();
            awaitAnswers(store);

            Thread.sleep(OutageLog.SETTLE.toMillis() + 100); // a failure sooner would count as the same outage
            log.clear();
            long droppedBefore = metrics.snapshot().storeWritesDropped();
            proxy.cut();
            long started = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                store.store(Sessions.live());
            }
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(QUICK) < 0, "stores never wait");
            for (int i = 0; i < 20; i++) {
                assertFailsQuickly(store);
            }
            Thread.sleep(600); // a few purge polls fail too
            assertEquals(cached, store.retrieve(cached.id(), Sessions.now()));
            assertTrue(metrics.snapshot().storeWritesDropped() > droppedBefore, "a full queue drops writes");
            assertTrue(metrics.snapshot().storeErrors() > 0, "writes lost to the outage are counted");
            assertEquals(1, log.at(Level.WARNING).size(), "one warning per outage: " + messages(log));
            assertNoSecretsOrStackTraces(log);

            proxy.restore();
            long restored = System.nanoTime();
            awaitAnswers(store);
            assertTrue(Duration.ofNanos(System.nanoTime() - restored).compareTo(Duration.ofSeconds(10)) < 0);
            assertEquals(1, log.at(Level.WARNING).size());
            assertTrue(log.at(Level.INFO).stream().anyMatch(r -> r.getMessage().contains("answers again")),
                    messages(log));
            SessionRecord after = Sessions.live();
            store.store(after);
            assertTrue(node.flush(Duration.ofSeconds(10)));
            assertEquals(after, f.node("b").sessionStore().retrieve(after.id(), Sessions.now()), "writes again");
        }
    }

    private static void assertFailsQuickly(SessionStore store) {
        long started = System.nanoTime();
        assertThrows(SessionStoreUnavailableException.class, () -> store.retrieve(Sessions.newId(), Sessions.now()));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(QUICK) < 0, "retrieve took " + took);
    }

    /** Waits (up to 10 s) until a lookup of an unknown session answers "none" instead of failing. */
    private static void awaitAnswers(SessionStore store) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                assertNull(store.retrieve(Sessions.newId(), Sessions.now()));
                return;
            } catch (SessionStoreUnavailableException e) {
                assertTrue(System.nanoTime() < deadline, "still failing after 10 s: " + e.getMessage());
                Thread.sleep(50);
            }
        }
    }

    private static void assertNoSecretsOrStackTraces(LogCapture log) {
        for (LogRecord r : log.at(Level.WARNING)) {
            assertNull(r.getThrown(), "no stack trace");
            assertFalse(r.getMessage().contains("password"), r.getMessage());
        }
    }

    private static String messages(LogCapture log) {
        return log.at(Level.WARNING).stream().map(LogRecord::getMessage).toList().toString();
    }
}
