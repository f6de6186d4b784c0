package org.reprise.core.ticket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reprise.core.MutableClock;
import org.reprise.core.internal.ticket.TicketSealer;

/**
 * When the ring reaches its key store: never on the handshake ({@link TicketKeyRing#encryptionKey()},
 * {@link TicketKeyRing#decryptionKey}, sealing), only in {@link TicketKeyRing#refresh()} (and the
 * administrator's rotate and retire), which rotates ahead of time and backs off while the store fails.
 */
class TicketKeyRingStoreCallsTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration ROTATION = Duration.ofHours(1);
    private static final Duration LIFETIME = Duration.ofDays(1);
    /** How often the connector's maintenance thread refreshes the ring. */
    private static final Duration REFRESH = Duration.ofSeconds(2);
    private static final byte[] STATE = "session state".getBytes(StandardCharsets.UTF_8);

    private final MutableClock clock = new MutableClock(START);
    private final CountingTicketKeyStore store = new CountingTicketKeyStore();
    private final List<TicketKey> rotations = new ArrayList<>();
    private final TicketKeyRing ring = new TicketKeyRing(ROTATION, LIFETIME, clock, new SecureRandom(),
            rotations::add, store);

    /** Refreshes as the maintenance thread does: a failure is logged there, and the ring carries on. */
    private void maintenanceRefresh() {
        try {
            ring.refresh();
        } catch (RuntimeException storeDown) {
            // counted by the store double
        }
    }

    @Test
    void sealingPastTheEncryptDeadlineWithTheStoreDownMakesNoStoreCall() {
        ring.refresh();
        TicketKey first = ring.encryptionKey();
        TicketSealer sealer = new TicketSealer(ring, new SecureRandom());
        store.down = true;
        clock.set(first.encryptUntil().plusSeconds(1));
        int before = store.calls();

        byte[] ticket = null;
        for (int i = 0; i < 1000; i++) {
            ticket = sealer.seal(STATE);
            ring.encryptionKey();
        }

        assertEquals(before, store.calls(), "store calls made by 1,000 seals and 1,000 encryptionKey() calls");
        assertEquals(first.nameHex(), ring.encryptionKey().nameHex(),
                "past its encrypting period the newest key seals on, while it still opens tickets");
        assertArrayEquals(STATE, sealer.open(ticket).plaintext());
    }

    @Test
    void refreshRotatesAheadSoTheHandshakeNeverReachesTheDeadline() {
        ring.refresh();
        TicketKey first = ring.encryptionKey();

        clock.set(first.encryptUntil().minus(REFRESH));
        ring.refresh();
        assertEquals(2, store.load().size(), "the next key is in the store one refresh before the deadline");
        int before = store.calls();

        clock.set(first.encryptUntil().minusNanos(1));
        assertEquals(first.nameHex(), ring.encryptionKey().nameHex(), "the old key seals to the end of its period");
        clock.set(first.encryptUntil());
        TicketKey second = ring.encryptionKey();

        assertEquals(first.generation() + 1, second.generation());
        assertEquals(first.encryptUntil(), second.created(), "the next key takes over at the old one's deadline");
        assertEquals(ROTATION, Duration.between(second.created(), second.encryptUntil()));
        assertEquals(before, store.calls(), "the handshake switched keys without a store call");
        assertEquals(List.of(second.nameHex()), rotations.stream().map(TicketKey::nameHex).toList());
    }

    @Test
    void refreshBacksOffWhileTheStoreFailsAndResumesWhenItAnswers() {
        ring.refresh();
        store.down = true;
        int before = store.calls();
        List<Integer> callsPerMinute = new ArrayList<>();

        for (int minute = 0; minute < 10; minute++) {
            int atMinuteStart = store.calls();
            for (Duration t = Duration.ZERO; t.compareTo(Duration.ofMinutes(1)) < 0; t = t.plus(REFRESH)) {
                clock.advance(REFRESH);
                maintenanceRefresh();
            }
            callsPerMinute.add(store.calls() - atMinuteStart);
        }

        int failing = store.calls() - before;
        assertTrue(failing <= 20, "store calls in 10 failing minutes, 300 refreshes: " + failing + " " + callsPerMinute);
        for (int minute = 2; minute < 10; minute++) {
            int calls = callsPerMinute.get(minute);
            assertTrue(calls >= 1 && calls <= 2, "the ring keeps trying about once a minute: " + callsPerMinute);
        }

        store.down = false;
        int recovered = store.calls();
        for (int i = 0; i < 31 && store.calls() == recovered; i++) {
            clock.advance(REFRESH);
            ring.refresh();
        }
        assertTrue(store.calls() > recovered, "a refresh reached the store within a minute of its return");
        for (int i = 0; i < 3; i++) {
            int beforeRefresh = store.calls();
            clock.advance(REFRESH);
            ring.refresh();
            assertTrue(store.calls() > beforeRefresh, "once the store answers, every refresh reads it again");
        }
    }

    @Test
    void aRowThisNodeCannotOpenNeverBlocksRotationAndRingsSharingAKeyConverge() {
        store.addUnreadable(1, START.plus(LIFETIME));
        TicketKeyRing other = new TicketKeyRing(ROTATION, LIFETIME, clock, new SecureRandom(), k -> { }, store);

        ring.refresh();
        other.refresh();

        TicketKey shared = ring.encryptionKey();
        assertEquals(2, shared.generation(), "the generation above the row it cannot open");
        assertEquals(shared.nameHex(), other.encryptionKey().nameHex());
        assertEquals(List.of(1L, 2L), store.generations(), "the row it cannot open is kept");
        assertEquals(List.of(1L), ring.unreadableKeys().stream().map(TicketKeyStore.UnreadableKey::generation).toList());

        clock.set(shared.encryptUntil().minus(REFRESH));
        store.addUnreadable(3, START.plus(LIFETIME));
        other.refresh();
        ring.refresh();
        assertEquals(4, ring.keys().get(0).generation(), "a lost claim goes on to the next free generation");
        assertEquals(ring.keys().get(0).nameHex(), other.keys().get(0).nameHex());
    }

    @Test
    void retireAllStoresAKeyAboveEveryGenerationAndDeletesTheRest() {
        ring.refresh();
        TicketKey old = ring.encryptionKey();
        store.addUnreadable(old.generation() + 1, START.plus(LIFETIME));

        TicketKey fresh = ring.retireAll();

        assertEquals(old.generation() + 2, fresh.generation());
        assertEquals(List.of(fresh.generation()), store.generations());
        assertEquals(List.of(fresh), ring.keys());
        assertEquals(List.of(), ring.unreadableKeys());
    }

    @Test
    void expiredKeysAreDeletedButNoRowStillInUseIsEvenIfThisNodeCannotOpenIt() {
        ring.refresh();
        TicketKey first = ring.encryptionKey();
        store.addUnreadable(2, first.decryptUntil().plus(LIFETIME));
        clock.set(first.encryptUntil());
        ring.refresh();
        TicketKey third = ring.encryptionKey();
        assertEquals(3, third.generation());

        clock.set(first.decryptUntil());
        ring.refresh();

        TicketKey fourth = ring.encryptionKey();
        assertEquals(List.of(2L, 3L, 4L), store.generations(), "the expired key is gone, and only it");
        assertEquals(List.of(fourth, third), ring.keys());
    }
}
