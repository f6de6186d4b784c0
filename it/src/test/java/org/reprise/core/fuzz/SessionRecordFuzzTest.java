package org.reprise.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.reprise.core.internal.session.SessionRecordCodec;
import org.reprise.core.session.SessionRecord;

/**
 * Junk against the session-record codec (ticket plaintexts and stored rows go through it): either a clean
 * {@link SessionRecordCodec.MalformedRecordException}, or a record that survives a round trip unchanged.
 */
class SessionRecordFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void junkIsRejectedOrRoundTrips(byte[] encoded) throws Exception {
        SessionRecord record;
        try {
            record = SessionRecordCodec.decode(encoded);
        } catch (SessionRecordCodec.MalformedRecordException rejected) {
            return;
        }
        SessionRecord again = SessionRecordCodec.decode(SessionRecordCodec.encode(record));
        assertEquals(record, again);
        assertArrayEquals(record.secretState(), again.secretState());
    }
}
