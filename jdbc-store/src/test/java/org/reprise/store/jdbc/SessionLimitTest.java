package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.SessionRecord;

/** A client making full handshakes as fast as it can must not fill the database: jdbcMaxSessions. */
class SessionLimitTest {

    private static final Duration FLUSH = Duration.ofSeconds(10);

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void sessionsPastTheLimitAreNotWrittenAndAreCounted(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            ResumptionMetrics metrics = new ResumptionMetrics();
            JdbcStores a = f.node("a", metrics, b -> b.maxSessions(3));
            List<SessionRecord> made = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                SessionRecord record = Sessions.live();
                made.add(record);
                a.sessionStore().store(record);
                assertTrue(a.flush(FLUSH));
            }

            JdbcStores b = f.node("b");
            long found = made.stream().filter(r -> b.sessionStore().retrieve(r.id(), Sessions.now()) != null).count();
            assertEquals(3, found, "only jdbcMaxSessions rows reach the database");
            assertEquals(2, metrics.snapshot().sessionsRefused());
            assertNotNull(a.sessionStore().retrieve(made.get(4).id(), Sessions.now()),
                    "a refused session still resumes on the node that made it, from its cache");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aSweepMakesRoomAgain(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            ResumptionMetrics metrics = new ResumptionMetrics();
            JdbcStores a = f.node("a", metrics, b -> b.maxSessions(2));
            for (int i = 0; i < 2; i++) {
                a.sessionStore().store(Sessions.expired());
            }
            assertTrue(a.flush(FLUSH));
            assertEquals(2, a.sessionStore().sweepExpired(Sessions.now()));

            SessionRecord later = Sessions.live();
            a.sessionStore().store(later);
            assertTrue(a.flush(FLUSH));

            assertNotNull(f.node("b").sessionStore().retrieve(later.id(), Sessions.now()));
            assertEquals(0, metrics.snapshot().sessionsRefused());
        }
    }
}
