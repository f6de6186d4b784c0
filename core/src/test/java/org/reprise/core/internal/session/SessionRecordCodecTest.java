package org.reprise.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reprise.core.internal.session.SessionRecordCodec.MalformedRecordException;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.session.TestRecords;

class SessionRecordCodecTest {

    private static final Instant CREATED = Instant.parse("2025-06-01T12:00:00.123Z");

    /** A record with every optional field left null. */
    private static SessionRecord minimal() {
        return TestRecords.record(1, CREATED).build();
    }

    /** A record with every field set, non-ASCII text included. */
    private static SessionRecord full() {
        return TestRecords.record(1, CREATED)
                .id(SessionId.of(filled(SessionId.MAX_LENGTH, 0x5A)))
                .protocol("TLSv1.3")
                .cipherSuite("TLS_AES_256_GCM_SHA384")
                .hostConfig("shop")
                .sniHost("bücher.example")
                .lastResumed(CREATED.plus(Duration.ofMinutes(7)))
                .resumeCount(42)
                .peerIdentity("CN=Jürgen Müller,O=Example")
                .engine("bouncycastle")
                .secretState(filled(48, 0xC3))
                .build();
    }

    static Stream<Arguments> records() {
        return Stream.of(Arguments.of("minimal", minimal()), Arguments.of("full", full()));
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    /**
     * Decodes as a server would decode untrusted bytes: the only acceptable failure is
     * {@link MalformedRecordException}, and whatever is accepted must be exactly one record's encoding.
     *
     * @return the record, or null when the bytes were rejected as malformed
     */
    private static @Nullable SessionRecord decodeUntrusted(byte[] bytes) {
        SessionRecord record;
        try {
            record = SessionRecordCodec.decode(bytes);
        } catch (MalformedRecordException e) {
            return null;
        } catch (RuntimeException | Error e) {
            return fail("decode threw " + e + " instead of MalformedRecordException for "
                    + HexFormat.of().formatHex(bytes), e);
        }
        assertArrayEquals(bytes, SessionRecordCodec.encode(record),
                "accepted bytes must be the record's one encoding");
        return record;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void roundTrips(String name, SessionRecord record) throws Exception {
        SessionRecord decoded = SessionRecordCodec.decode(SessionRecordCodec.encode(record));

        assertEquals(record, decoded);
        assertArrayEquals(record.secretState(), decoded.secretState());
        assertEquals(record.sniHost(), decoded.sniHost());
        assertEquals(record.lastResumed(), decoded.lastResumed());
        assertEquals(record.peerIdentity(), decoded.peerIdentity());
    }

    @Test
    void roundTripsFieldsOfTheMaximumLength() throws Exception {
        SessionRecord record = TestRecords.record(1, CREATED)
                .hostConfig("h".repeat(1024))
                .sniHost("ü".repeat(512)) // two UTF-8 bytes each
                .secretState(new byte[16 * 1024])
                .build();

        assertEquals(record, SessionRecordCodec.decode(SessionRecordCodec.encode(record)));
    }

    @Test
    void encodeRejectsAStringFieldLongerThan1024Bytes() {
        SessionRecord record = TestRecords.record(1, CREATED).sniHost("ü".repeat(513)).build();

        assertThrows(IllegalArgumentException.class, () -> SessionRecordCodec.encode(record));
    }

    @Test
    void encodeRejectsASecretStateThatDecodeWouldRefuse() {
        // Whatever encode accepts, decode must read back: a secret over 16 KiB is refused up front rather
        // than written with a length prefix that decode rejects or that wraps around.
        for (int length : new int[] {16 * 1024 + 1, 0xFFFF + 1}) {
            SessionRecord record = TestRecords.record(1, CREATED).secretState(new byte[length]).build();
            assertThrows(IllegalArgumentException.class, () -> SessionRecordCodec.encode(record),
                    "secret of " + length + " bytes");
        }
    }

    @Test
    void rejectsAnEmptyArray() {
        assertThrows(MalformedRecordException.class, () -> SessionRecordCodec.decode(new byte[0]));
    }

    @Test
    void rejectsAnUnknownVersion() {
        for (int version : new int[] {0, 1, 3, 0x81, 0xFF}) {
            byte[] encoded = SessionRecordCodec.encode(full());
            encoded[0] = (byte) version;

            assertThrows(MalformedRecordException.class, () -> SessionRecordCodec.decode(encoded),
                    "version " + version);
        }
    }

    @Test
    void rejectsUnknownFlags() {
        byte[] encoded = SessionRecordCodec.encode(minimal());
        encoded[1] = 8;

        assertThrows(MalformedRecordException.class, () -> SessionRecordCodec.decode(encoded));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void rejectsEveryTruncation(String name, SessionRecord record) {
        byte[] encoded = SessionRecordCodec.encode(record);

        for (int length = 0; length < encoded.length; length++) {
            byte[] prefix = Arrays.copyOf(encoded, length);
            assertThrows(MalformedRecordException.class, () -> SessionRecordCodec.decode(prefix),
                    "prefix of " + length + " of " + encoded.length + " bytes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void rejectsTrailingBytes(String name, SessionRecord record) {
        byte[] encoded = SessionRecordCodec.encode(record);

        for (int extra = 1; extra <= 3; extra++) {
            byte[] longer = Arrays.copyOf(encoded, encoded.length + extra);
            assertThrows(MalformedRecordException.class, () -> SessionRecordCodec.decode(longer),
                    extra + " trailing bytes");
        }
    }

    @Test
    void rejectsARecordThatExpiresBeforeItWasCreated() {
        SessionRecord record = minimal();
        byte[] encoded = SessionRecordCodec.encode(record);
        byte[] expires = longBytes(record.expires().toEpochMilli());
        byte[] beforeCreated = longBytes(record.created().toEpochMilli() - 1);
        System.arraycopy(beforeCreated, 0, encoded, indexOf(encoded, expires), Long.BYTES);

        assertThrows(MalformedRecordException.class, () -> SessionRecordCodec.decode(encoded));
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void neverFailsOtherwiseOnRandomJunk() {
        Random random = new Random(20250601);
        byte[] valid = SessionRecordCodec.encode(full());
        int accepted = 0;

        for (int i = 0; i < 10_000; i++) {
            byte[] junk = new byte[random.nextInt(301)];
            random.nextBytes(junk);
            switch (i % 3) {
                case 1 -> { // a plausible header, so decoding gets past the first bytes
                    if (junk.length >= 3) {
                        junk[0] = 1;
                        junk[1] = (byte) random.nextInt(8);
                        junk[2] = (byte) (1 + random.nextInt(SessionId.MAX_LENGTH));
                    }
                }
                case 2 -> { // a valid record's beginning, then junk
                    System.arraycopy(valid, 0, junk, 0, Math.min(junk.length, random.nextInt(valid.length)));
                }
                default -> { // pure junk
                }
            }
            if (decodeUntrusted(junk) != null) {
                accepted++;
            }
        }

        assertTrue(accepted < 100, "junk should almost never decode, but " + accepted + " did");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void bitFlipsEitherDecodeCanonicallyOrAreRejected(String name, SessionRecord record) {
        byte[] encoded = SessionRecordCodec.encode(record);

        for (int position = 0; position < encoded.length; position++) {
            for (int mask : new int[] {0xFF, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80}) {
                byte[] flipped = encoded.clone();
                flipped[position] ^= (byte) mask;
                decodeUntrusted(flipped);
            }
        }
    }

    @Test
    void flippingTheSecretStateChangesOnlyTheSecretState() throws Exception {
        SessionRecord record = full();
        byte[] encoded = SessionRecordCodec.encode(record);
        encoded[encoded.length - 1] ^= (byte) 0xFF;

        SessionRecord decoded = SessionRecordCodec.decode(encoded);

        byte[] expectedSecret = record.secretState();
        expectedSecret[expectedSecret.length - 1] ^= (byte) 0xFF;
        assertEquals(record.toBuilder().secretState(expectedSecret).build(), decoded);
    }
}
