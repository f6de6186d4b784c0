package org.reprise.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.reprise.core.session.SessionRecord;

class SessionCacheTest {

    /**
     * A session read from the database while another was purged is not cached, but it is not purged either:
     * its tickets still resume and its renewals are still written.
     */
    @Test
    void aReadRacingWithAnotherPurgeLeavesTheSessionUnpurged() {
        SessionCache cache = new SessionCache(100, Clock.systemUTC());
        SessionRecord read = Sessions.live();
        long mark = cache.mark();
        cache.invalidate(Sessions.newId());

        cache.putUnlessInvalidatedSince(read, mark);

        assertFalse(cache.isPurged(read, Sessions.now()));
        cache.put(read);
        assertEquals(read, cache.get(read.id(), Sessions.now()), "kept when stored");
    }
}
