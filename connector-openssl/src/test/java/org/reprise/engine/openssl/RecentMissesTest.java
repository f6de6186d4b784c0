package org.reprise.engine.openssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.reprise.core.session.SessionId;

/** The negative cache in front of the store: clients choose the IDs, so it is bounded in size and in time. */
class RecentMissesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static SessionId id(int n) {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) (n >>> 24);
        bytes[1] = (byte) (n >>> 16);
        bytes[2] = (byte) (n >>> 8);
        bytes[3] = (byte) n;
        return SessionId.of(bytes);
    }

    @Test
    void aMissIsRememberedForItsTtlOnly() {
        RecentMisses misses = new RecentMisses(10, Duration.ofSeconds(10));
        misses.add(id(1), T0);

        assertTrue(misses.contains(id(1), T0.plusSeconds(9)));
        assertFalse(misses.contains(id(1), T0.plusSeconds(10)));
        assertFalse(misses.contains(id(2), T0));
    }

    @Test
    void aClientOfferingEverMoreIdsKeepsItWithinItsCapacity() {
        RecentMisses misses = new RecentMisses(100, Duration.ofSeconds(10));
        for (int i = 0; i < 100_000; i++) {
            misses.add(id(i), T0);
        }

        assertEquals(100, misses.size());
        assertFalse(misses.contains(id(0), T0), "the oldest went first");
        assertTrue(misses.contains(id(99_999), T0));
    }

    @Test
    void expiredMissesAreDroppedAsNewOnesArrive() {
        RecentMisses misses = new RecentMisses(100, Duration.ofSeconds(10));
        for (int i = 0; i < 50; i++) {
            misses.add(id(i), T0);
        }
        misses.add(id(1000), T0.plusSeconds(11));

        assertEquals(1, misses.size());
    }

    /** A clock set back must neither keep a miss past its ttl nor make one count before it happened. */
    @Test
    void aClockThatGoesBackDoesNotStretchAMiss() {
        RecentMisses misses = new RecentMisses(10, Duration.ofSeconds(10));
        misses.add(id(1), T0.plusSeconds(100));
        misses.add(id(2), T0);

        assertFalse(misses.contains(id(2), T0.plusSeconds(20)), "past its ttl, behind a younger entry");
        assertFalse(misses.contains(id(1), T0.plusSeconds(50)), "before the miss happened");
    }

    @Test
    void aStoredSessionIsNoLongerAMiss() {
        RecentMisses misses = new RecentMisses(10, Duration.ofSeconds(10));
        misses.add(id(1), T0);
        misses.forget(id(1));

        assertFalse(misses.contains(id(1), T0));
    }
}
