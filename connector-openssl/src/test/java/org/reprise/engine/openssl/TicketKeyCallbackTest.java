package org.reprise.engine.openssl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reprise.core.ticket.TicketKey;
import org.reprise.core.ticket.TicketKeyRing;

/**
 * The AES and HMAC keys the OpenSSL engine derives from each ring key live exactly as long as their ring key:
 * zeroed (what a heap dump would show) once the key leaves the ring, by retirement or expiry.
 */
class TicketKeyCallbackTest {

    private static final Duration ROTATION = Duration.ofMinutes(10);

    private final MovableClock clock = new MovableClock();
    private final SecureRandom random = new SecureRandom();
    private final TicketKeyRing ring = new TicketKeyRing(ROTATION, ROTATION, clock, random, key -> { });
    private final TicketKeyCallback callback = new TicketKeyCallback(() -> ring, random);

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration step) {
            now = now.plus(step);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("tests only need instants");
        }
    }

    private static boolean zeroed(byte[][] keys) {
        for (byte[] key : keys) {
            for (byte b : key) {
                if (b != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void retireAllZeroesTheDerivedKeysOfEveryRetiredKey() throws Exception {
        byte[][] first = callback.derivedKeys(ring.encryptionKey());
        byte[][] second = callback.derivedKeys(ring.rotate());
        assertFalse(zeroed(first) || zeroed(second));

        ring.retireAll();

        assertTrue(zeroed(first), "the derived keys of the first key");
        assertTrue(zeroed(second), "the derived keys of the second key");
    }

    @Test
    void aKeyThatExpiresOutOfTheRingTakesItsDerivedKeysWithIt() throws Exception {
        byte[][] first = callback.derivedKeys(ring.encryptionKey());
        clock.advance(ROTATION.plusMinutes(1));
        ring.refresh();
        assertFalse(zeroed(first), "a rotated key still opens tickets, and keeps its derived keys");

        clock.advance(ROTATION);
        ring.refresh();

        assertTrue(zeroed(first), "expired and dropped from the ring");
    }

    @Test
    void destroyingTheSslContextZeroesItsDerivedKeys() throws Exception {
        byte[][] first = callback.derivedKeys(ring.encryptionKey());

        callback.close();

        assertTrue(zeroed(first));
    }

    @Test
    void derivedKeysDroppedToMakeRoomAreZeroed() throws Exception {
        TicketKeyRing manyKeys = new TicketKeyRing(Duration.ofMinutes(1), Duration.ofDays(1), clock, random,
                key -> { });
        TicketKeyCallback cache = new TicketKeyCallback(() -> manyKeys, random);
        List<byte[][]> derived = new ArrayList<>();
        derived.add(cache.derivedKeys(manyKeys.encryptionKey()));
        for (int i = 0; i < 40; i++) {
            TicketKey next = manyKeys.rotate();
            derived.add(cache.derivedKeys(next));
        }

        assertTrue(zeroed(derived.get(0)), "the oldest generation's derived keys, no longer cached");
        assertFalse(zeroed(derived.get(derived.size() - 1)), "the newest generation's");
    }
}
