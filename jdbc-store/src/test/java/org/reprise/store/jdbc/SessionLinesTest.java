package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.session.SessionStore;

/**
 * What a purge reaches on a shared database: the sessions renewed from a purged session (its line), one
 * realm's sessions and no other's, writes that were in flight, rows put back by SQL, and other nodes' answers
 * for sessions that arrive in tickets.
 */
class SessionLinesTest {

    private static final Duration FLUSH = Duration.ofSeconds(10);
    private static final Duration POLLED = Duration.ofSeconds(30);

    /** A session renewed from {@code from} now, as a TLS 1.3 resumption issues a new ticket. */
    private static SessionRecord renewed(SessionRecord from) {
        Instant now = Sessions.now();
        return Sessions.made(now, now.plus(Duration.ofHours(1))).origin(from.id())
                .authenticated(from.authenticated()).build();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void removingASessionStopsItsLineOnEveryNode(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            JdbcStores b = f.node("b");
            SessionRecord first = Sessions.live();
            SessionRecord renewed = renewed(first);
            SessionRecord other = Sessions.live();
            a.sessionStore().store(first);
            a.sessionStore().store(renewed);
            a.sessionStore().store(other);
            assertTrue(a.flush(FLUSH));
            List<Object> savedRenewed = f.savedRow(renewed);

            assertTrue(b.sessionStore().remove(first.id()));

            assertTrue(b.sessionStore().isPurged(renewed, Sessions.now()), "on the purging node at once");
            awaitPurged(a.sessionStore(), renewed);
            assertFalse(a.sessionStore().isPurged(other, Sessions.now()));
            // a renewal made by a node that had not heard of the purge, written after it
            SessionRecord inFlight = renewed(first);
            JdbcStores late = f.node("late");
            late.sessionStore().store(inFlight);
            assertTrue(late.flush(FLUSH));
            f.putBack(savedRenewed);

            SessionStore reader = f.node("reader").sessionStore();
            assertNull(reader.retrieve(renewed.id(), Sessions.now()), "a saved renewed row put back by SQL");
            assertNull(reader.retrieve(inFlight.id(), Sessions.now()), "a renewal written after the purge");
            assertNull(reader.retrieve(first.id(), Sessions.now()));
            assertNotNull(reader.retrieve(other.id(), Sessions.now()), "another line stays");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void removingAllOfARealmLeavesOtherRealmsAndLaterSessions(TestDatabase database) throws Exception {
        try (Fixture f = Fixture.on(database)) {
            JdbcStores a = f.node("a");
            SessionRecord mine = Sessions.live();
            SessionRecord theirs = Sessions.made(Sessions.now(), Sessions.now().plus(Duration.ofHours(1)))
                    .realm("other-cluster").build();
            a.sessionStore().store(mine);
            a.sessionStore().store(theirs);
            assertTrue(a.flush(FLUSH));
            Thread.sleep(5);

            JdbcStores b = f.node("b");
            assertEquals(1, b.sessionStore().removeAll(Sessions.REALM), "only this realm's rows");
            Thread.sleep(5);

            assertTrue(b.sessionStore().isPurged(mine, Sessions.now()), "on the purging node at once");
            awaitPurged(a.sessionStore(), mine);
            assertFalse(a.sessionStore().isPurged(theirs, Sessions.now()), "another realm is not purged");
            SessionRecord renewedLater = renewed(mine);
            Thread.sleep(5);
            SessionRecord fresh = Sessions.live();
            JdbcStores c = f.node("c");
            c.sessionStore().store(renewedLater);
            c.sessionStore().store(fresh);
            assertTrue(c.flush(FLUSH));

            SessionStore reader = f.node("reader").sessionStore();
            assertNull(reader.retrieve(mine.id(), Sessions.now()));
            assertNotNull(reader.retrieve(theirs.id(), Sessions.now()), "another realm's session resumes");
            assertNull(reader.retrieve(renewedLater.id(), Sessions.now()),
                    "renewed after the purge from a session authenticated before it");
            assertNotNull(reader.retrieve(fresh.id(), Sessions.now()), "a full handshake after the purge resumes");
            assertFalse(a.sessionStore().isPurged(fresh, Sessions.now()));
        }
    }

    /** Waits until the node has polled a purge that covers {@code record}; the limit only bounds a failure. */
    private static void awaitPurged(SessionStore store, SessionRecord record) throws InterruptedException {
        long deadline = System.nanoTime() + POLLED.toNanos();
        while (!store.isPurged(record, Sessions.now())) {
            assertTrue(System.nanoTime() < deadline, "not known as purged after " + POLLED + ": " + record);
            Thread.sleep(10);
        }
    }

}
