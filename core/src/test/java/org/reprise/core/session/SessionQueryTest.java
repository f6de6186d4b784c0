package org.reprise.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionQueryTest {

    @Test
    void defaultsToFirst50NewestFirstUnfiltered() {
        SessionQuery q = SessionQuery.all();

        assertEquals(0, q.offset());
        assertEquals(50, q.limit());
        assertEquals(SessionQuery.Sort.CREATED, q.sort());
        assertTrue(q.descending());
        assertNull(q.host());
        assertNull(q.protocol());
        assertNull(q.text());
    }

    @Test
    void pageRejectsNegativeOffset() {
        SessionQuery.Builder b = SessionQuery.builder();

        assertThrows(IllegalArgumentException.class, () -> b.page(-1, 10));
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, SessionQuery.MAX_LIMIT + 1, Integer.MAX_VALUE})
    void pageRejectsLimitOutside1To1000(int limit) {
        SessionQuery.Builder b = SessionQuery.builder();

        assertThrows(IllegalArgumentException.class, () -> b.page(0, limit));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 500, SessionQuery.MAX_LIMIT})
    void pageAcceptsLimitsFrom1To1000(int limit) {
        SessionQuery q = SessionQuery.builder().page(7, limit).build();

        assertEquals(7, q.offset());
        assertEquals(limit, q.limit());
    }

    @Test
    void blankFiltersMeanNoFilter() {
        SessionQuery q = SessionQuery.builder().host("  ").protocol("").text("\t").build();

        assertNull(q.host());
        assertNull(q.protocol());
        assertNull(q.text());
        assertTrue(q.matches(TestRecords.record(1, Instant.EPOCH).build()));
    }

    @Test
    void filtersAreStrippedAndTextIsLowerCased() {
        SessionQuery q = SessionQuery.builder().host(" shop ").protocol(" TLSv1.3 ").text(" ChaCha ").build();

        assertEquals("shop", q.host());
        assertEquals("TLSv1.3", q.protocol());
        assertEquals("chacha", q.text());
    }

    @Test
    void allFiltersMustMatch() {
        SessionRecord r = TestRecords.record(1, Instant.EPOCH).hostConfig("shop").protocol("TLSv1.3").build();

        assertTrue(SessionQuery.builder().host("shop").protocol("TLSv1.3").text("ecdhe").build().matches(r));
        assertFalse(SessionQuery.builder().host("shop").protocol("TLSv1.2").build().matches(r));
        assertFalse(SessionQuery.builder().host("blog").protocol("TLSv1.3").build().matches(r));
        assertFalse(SessionQuery.builder().host("shop").text("chacha").build().matches(r));
    }
}
