package org.reprise.core.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reprise.core.MutableClock;

class TicketKeyRingTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration ROTATION = Duration.ofHours(1);
    private static final Duration LIFETIME = Duration.ofHours(2);

    private final MutableClock clock = new MutableClock(START);
    private final List<TicketKey> rotations = new ArrayList<>();
    private final TicketKeyRing ring = new TicketKeyRing(ROTATION, LIFETIME, clock, new SecureRandom(), rotations::add);

    private TicketKey decryptionKey(TicketKey key) {
        return ring.decryptionKey(key.name(), 0);
    }

    @Test
    void encryptionKeyIsStableUntilItsPeriodEnds() {
        ring.refresh();
        TicketKey first = ring.encryptionKey();

        clock.advance(ROTATION.minusNanos(1));

        assertSame(first, ring.encryptionKey());
        assertEquals(List.of(), rotations);
    }

    @Test
    void refreshMakesTheNextKeyOnceAQuarterOfThePeriodIsLeftAndItTakesOverAtTheDeadline() {
        ring.refresh();
        TicketKey first = ring.encryptionKey();

        clock.set(first.encryptUntil().minus(ROTATION.dividedBy(4)).minusNanos(1));
        ring.refresh();
        assertEquals(List.of(first), ring.keys(), "not due yet");

        clock.advance(Duration.ofNanos(1));
        ring.refresh();
        ring.refresh();
        TicketKey second = ring.keys().get(0);
        assertNotEquals(first.nameHex(), second.nameHex());
        assertEquals(first.encryptUntil(), second.created(), "made ahead, it starts when the first one stops");
        assertEquals(List.of(second), rotations, "the listener hears about the new key once");
        assertSame(first, ring.encryptionKey(), "the first key seals to the end of its period");

        clock.set(first.encryptUntil());
        assertSame(second, ring.encryptionKey());
        ring.refresh();
        assertEquals(1, rotations.size(), "refreshing again does not rotate again");
    }

    @Test
    void aRingNeverRefreshedSealsWithAKeyOfItsOwnUntilAStoredKeyIsLoaded() {
        TicketKey local = ring.encryptionKey();
        assertEquals(TicketKeyRing.LOCAL_GENERATION, local.generation());
        assertSame(local, ring.encryptionKey(), "one key of its own, not one per call");

        ring.refresh();
        TicketKey stored = ring.encryptionKey();

        assertEquals(1, stored.generation());
        assertEquals(List.of(stored, local), ring.keys(), "the stored key seals; the node's own still opens");
        assertSame(local, decryptionKey(local));
        assertEquals(List.of(), rotations, "the first stored key is not a rotation");
    }

    @Test
    void keyTimesFollowRotationAndLifetime() {
        ring.refresh();
        TicketKey key = ring.encryptionKey();

        assertEquals(START, key.created());
        assertEquals(START.plus(ROTATION), key.encryptUntil());
        assertEquals(START.plus(ROTATION).plus(LIFETIME), key.decryptUntil());
    }

    @Test
    void oldKeyOpensTicketsUntilRotationPlusLifetimeAfterItWasMade() {
        ring.refresh();
        TicketKey first = ring.encryptionKey();
        clock.advance(ROTATION);
        ring.refresh();
        assertNotEquals(first.nameHex(), ring.encryptionKey().nameHex());

        clock.set(START.plus(ROTATION).plus(LIFETIME).minusNanos(1));
        assertSame(first, decryptionKey(first));

        clock.set(START.plus(ROTATION).plus(LIFETIME));
        assertNull(decryptionKey(first));
    }

    @Test
    void decryptionKeyFindsTheNameAtTheGivenOffset() {
        TicketKey key = ring.encryptionKey();
        byte[] ticket = new byte[5 + TicketKey.NAME_LENGTH + 10];
        System.arraycopy(key.name(), 0, ticket, 5, TicketKey.NAME_LENGTH);

        assertSame(key, ring.decryptionKey(ticket, 5));
        assertNull(ring.decryptionKey(ticket, 0));
    }

    @Test
    void decryptionKeyIgnoresUnknownNames() {
        byte[] name = ring.encryptionKey().name();
        name[TicketKey.NAME_LENGTH - 1] ^= 1;

        assertNull(ring.decryptionKey(name, 0));
    }

    @Test
    void rotateMakesANewEncryptingKeyAndKeepsTheOldOnesForDecryption() {
        ring.refresh();
        TicketKey first = ring.encryptionKey();

        TicketKey second = ring.rotate();

        assertNotEquals(first.nameHex(), second.nameHex());
        assertSame(second, ring.encryptionKey());
        assertSame(first, decryptionKey(first));
        assertSame(second, decryptionKey(second));
        assertEquals(List.of(second), rotations);
    }

    @Test
    void retireAllDropsEveryOldKey() {
        ring.refresh();
        TicketKey first = ring.encryptionKey();
        TicketKey second = ring.rotate();

        TicketKey fresh = ring.retireAll();

        assertNull(decryptionKey(first));
        assertNull(decryptionKey(second));
        assertSame(fresh, decryptionKey(fresh));
        assertSame(fresh, ring.encryptionKey());
        assertEquals(List.of(fresh), ring.keys());
        assertEquals(List.of(second, fresh), rotations);
    }

    @Test
    void keysListsNewestFirst() {
        ring.refresh();
        TicketKey first = ring.encryptionKey();
        clock.advance(Duration.ofMinutes(1));
        TicketKey second = ring.rotate();
        clock.advance(ROTATION);
        ring.refresh();
        TicketKey third = ring.encryptionKey();

        assertEquals(List.of(third, second, first), ring.keys());
    }

    @Test
    void keysDropsKeysThatCanNoLongerDecrypt() {
        ring.refresh();
        TicketKey first = ring.encryptionKey();
        clock.advance(ROTATION);
        ring.refresh();
        TicketKey second = ring.encryptionKey();
        clock.set(first.decryptUntil());

        TicketKey third = ring.rotate();

        assertEquals(List.of(third, second), ring.keys());
    }

    @Test
    void removalListenersHearRetiredKeys() {
        List<List<TicketKey>> removals = new ArrayList<>();
        ring.addRemovalListener(removals::add);
        TicketKey first = ring.encryptionKey();
        clock.advance(Duration.ofMinutes(1));
        TicketKey second = ring.rotate();
        assertEquals(List.of(), removals, "rotating keeps the older key: it still opens tickets");

        ring.retireAll();

        assertEquals(List.of(List.of(second, first)), removals);
    }

    @Test
    void removalListenersHearExpiredKeysWhenTheRingDropsThem() {
        List<List<TicketKey>> removals = new ArrayList<>();
        ring.addRemovalListener(removals::add);
        TicketKey first = ring.encryptionKey();
        clock.set(first.decryptUntil());

        ring.refresh();

        assertEquals(List.of(List.of(first)), removals);
    }

    @Test
    void aRemovedListenerHearsNothingMore() {
        List<List<TicketKey>> removals = new ArrayList<>();
        TicketKeyRing.RemovalListener listener = removals::add;
        ring.addRemovalListener(listener);
        ring.encryptionKey();
        ring.removeRemovalListener(listener);

        ring.retireAll();

        assertEquals(List.of(), removals);
    }

    @Test
    void keysIsReadOnly() {
        List<TicketKey> keys = ring.keys();

        assertThrows(UnsupportedOperationException.class, () -> keys.clear());
    }

    @Test
    void keyStringShowsTheNameButNeverTheKeyBytes() {
        // names are drawn as 16-byte arrays and keys as 32-byte arrays: fill each with its own pattern
        SecureRandom patterned = new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                Arrays.fill(bytes, bytes.length == TicketKey.KEY_LENGTH ? (byte) 0xAB : (byte) 0x11);
            }
        };
        TicketKey key = new TicketKeyRing(ROTATION, LIFETIME, clock, patterned, k -> { }).encryptionKey();

        String s = key.toString();

        assertEquals("11".repeat(TicketKey.NAME_LENGTH), key.nameHex());
        assertTrue(s.contains(key.nameHex()), s);
        assertFalse(s.toLowerCase(Locale.ROOT).contains("abababab"), s);
        assertFalse(s.contains("SecretKeySpec"), s);
        assertFalse(s.contains("javax.crypto"), s);
    }

    @Test
    void nameReturnsACopy() {
        TicketKey key = ring.encryptionKey();

        key.name()[0] ^= 1;

        assertSame(key, decryptionKey(key));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void rejectsRotationThatIsNotPositive(long seconds) {
        assertThrows(IllegalArgumentException.class, () -> new TicketKeyRing(Duration.ofSeconds(seconds),
                LIFETIME, clock, new SecureRandom(), k -> { }));
    }

    @Test
    void rejectsNegativeTicketLifetime() {
        assertThrows(IllegalArgumentException.class, () -> new TicketKeyRing(ROTATION,
                Duration.ofSeconds(-1), clock, new SecureRandom(), k -> { }));
    }
}
