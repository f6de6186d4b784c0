package org.reprise.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SessionRecordTest {

    private static final Instant CREATED = Instant.parse("2025-06-01T12:00:00Z");

    private static SessionRecord.Builder builder() {
        return TestRecords.record(1, CREATED);
    }

    static Stream<Arguments> requiredFields() {
        return Stream.of(
                Arguments.of("id", (Consumer<SessionRecord.Builder>) b -> b.id(null)),
                Arguments.of("protocol", (Consumer<SessionRecord.Builder>) b -> b.protocol(null)),
                Arguments.of("cipherSuite", (Consumer<SessionRecord.Builder>) b -> b.cipherSuite(null)),
                Arguments.of("hostConfig", (Consumer<SessionRecord.Builder>) b -> b.hostConfig(null)),
                Arguments.of("created", (Consumer<SessionRecord.Builder>) b -> b.created(null)),
                Arguments.of("expires", (Consumer<SessionRecord.Builder>) b -> b.expires(null)),
                Arguments.of("engine", (Consumer<SessionRecord.Builder>) b -> b.engine(null)),
                Arguments.of("secretState", (Consumer<SessionRecord.Builder>) b -> b.secretState(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requiredFields")
    void buildRequiresField(String field, Consumer<SessionRecord.Builder> unset) {
        SessionRecord.Builder b = builder();
        unset.accept(b);

        NullPointerException e = assertThrows(NullPointerException.class, b::build);
        assertEquals(field, e.getMessage());
    }

    @Test
    void optionalFieldsMayBeNull() {
        SessionRecord r = builder().sniHost(null).lastResumed(null).peerIdentity(null).build();

        assertNull(r.sniHost());
        assertNull(r.lastResumed());
        assertNull(r.peerIdentity());
        assertEquals(0, r.resumeCount());
    }

    @Test
    void rejectsExpiryBeforeCreation() {
        SessionRecord.Builder b = builder().expires(CREATED.minusNanos(1));

        assertThrows(IllegalArgumentException.class, b::build);
    }

    @Test
    void acceptsExpiryAtCreation() {
        assertDoesNotThrow(() -> builder().expires(CREATED).build());
    }

    @Test
    void rejectsNegativeResumeCount() {
        SessionRecord.Builder b = builder().resumeCount(-1);

        assertThrows(IllegalArgumentException.class, b::build);
    }

    @Test
    void toStringNeverShowsTheSecretState() {
        byte[] secret = TestRecords.SECRET_TEXT.getBytes(StandardCharsets.US_ASCII);
        SessionRecord r = builder().secretState(secret).sniHost("www.example.com").build();
        String hex = HexFormat.of().formatHex(secret);

        String s = r.toString();

        assertFalse(s.contains(TestRecords.SECRET_TEXT), s);
        assertFalse(s.toLowerCase(Locale.ROOT).contains(hex), s);
        assertFalse(s.contains(Arrays.toString(secret)), s);
        assertTrue(s.contains("www.example.com"), "public fields are shown: " + s);
    }

    @Test
    void secretStateIsCopiedOnBuildAndOnRead() {
        byte[] secret = {1, 2, 3};
        SessionRecord r = builder().secretState(secret).build();

        secret[0] = 9;
        r.secretState()[1] = 9;

        assertArrayEquals(new byte[] {1, 2, 3}, r.secretState());
    }

    @Test
    void resumedAtCountsTheResumptionAndKeepsEverythingElse() {
        SessionRecord original = builder().resumeCount(4).peerIdentity("CN=alice").build();
        Instant at = CREATED.plus(Duration.ofMinutes(5));

        SessionRecord resumed = original.resumedAt(at);

        assertEquals(5, resumed.resumeCount());
        assertEquals(at, resumed.lastResumed());
        assertEquals(original.toBuilder().resumeCount(5).lastResumed(at).build(), resumed);
        assertEquals(4, original.resumeCount(), "the original is unchanged");
        assertNull(original.lastResumed(), "the original is unchanged");
    }

    @Test
    void isExpiredExactlyAtExpiry() {
        SessionRecord r = builder().build();
        Instant expires = r.expires();

        assertFalse(r.isExpiredAt(expires.minusNanos(1)));
        assertTrue(r.isExpiredAt(expires));
        assertTrue(r.isExpiredAt(expires.plusNanos(1)));
    }

    @Test
    void equalityIncludesTheSecretState() {
        SessionRecord a = builder().build();

        assertEquals(a, builder().build());
        assertNotEquals(a, builder().secretState(new byte[] {0}).build());
        assertNotEquals(a, builder().resumeCount(1).build());
    }
}
