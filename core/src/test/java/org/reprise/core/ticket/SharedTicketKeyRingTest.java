package org.reprise.core.ticket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reprise.core.MutableClock;
import org.reprise.core.internal.ticket.TicketSealer;

/** Two nodes' rings over one key store, with clocks a few seconds apart: no leader, no disagreement. */
class SharedTicketKeyRingTest {

    private static final Duration ROTATION = Duration.ofHours(12);
    private static final Duration LIFETIME = Duration.ofDays(1);
    private static final Instant START = Instant.parse("2026-11-23T12:00:00Z");

    private final MemoryTicketKeyStore store = new MemoryTicketKeyStore();
    private final MutableClock clockA = new MutableClock(START);
    private final MutableClock clockB = new MutableClock(START.minusSeconds(3));
    private final List<TicketKey> rotationsA = new ArrayList<>();
    private final List<TicketKey> rotationsB = new ArrayList<>();
    private final TicketKeyRing a = new TicketKeyRing(ROTATION, LIFETIME, clockA, new SecureRandom(), rotationsA::add,
            store);
    private final TicketKeyRing b = new TicketKeyRing(ROTATION, LIFETIME, clockB, new SecureRandom(), rotationsB::add,
            store);

    private void advance(Duration d) {
        clockA.advance(d);
        clockB.advance(d);
    }

    @Test
    void bothNodesStartOnTheSameFirstKey() {
        a.refresh();
        b.refresh();
        TicketKey first = a.encryptionKey();

        assertEquals(first.nameHex(), b.encryptionKey().nameHex());
        assertEquals(1, store.load().size());
    }

    @Test
    void theNodeWhoseClockIsAheadRotatesAndTheOtherAdoptsItsKey() {
        a.refresh();
        b.refresh();
        TicketKey first = a.encryptionKey();
        advance(ROTATION.minus(ROTATION.dividedBy(4)));

        a.refresh();
        b.refresh();
        TicketKey next = a.keys().get(0);

        assertEquals(first.generation() + 1, next.generation());
        assertEquals(next.nameHex(), b.keys().get(0).nameHex(), "b adopts a's key, though its own is not due yet");
        assertEquals(first.nameHex(), b.encryptionKey().nameHex(), "and seals with the first key to its end");
        advance(ROTATION.dividedBy(4));
        assertEquals(next.nameHex(), a.encryptionKey().nameHex());
        clockB.set(first.encryptUntil());
        assertEquals(next.nameHex(), b.encryptionKey().nameHex(), "both switch at the deadline, each by its clock");
        assertEquals(1, rotationsA.size());
        assertEquals(List.of(), rotationsB, "b made no key of its own");
        assertEquals(2, store.load().size());
    }

    @Test
    void ticketsSealedByEitherNodeOpenOnTheOtherAcrossARotation() {
        TicketSealer sealerA = new TicketSealer(a, new SecureRandom());
        TicketSealer sealerB = new TicketSealer(b, new SecureRandom());
        byte[] state = "session state".getBytes(StandardCharsets.UTF_8);
        a.refresh();
        b.refresh();
        byte[] beforeRotation = sealerB.seal(state);
        advance(ROTATION.minus(ROTATION.dividedBy(4)));
        a.refresh();
        b.refresh();
        advance(ROTATION.dividedBy(4).plusSeconds(5));
        byte[] afterRotation = sealerA.seal(state);
        assertFalse(Arrays.equals(beforeRotation, 0, TicketKey.NAME_LENGTH, afterRotation, 0, TicketKey.NAME_LENGTH),
                "a rotation came between the tickets");

        assertArrayEquals(state, sealerA.open(beforeRotation).plaintext());
        assertArrayEquals(state, sealerB.open(afterRotation).plaintext());
    }

    @Test
    void retiringAllKeysOnOneNodeReachesTheOtherAtItsNextRefresh() {
        a.refresh();
        TicketKey old = a.encryptionKey();
        byte[] oldName = old.name();
        b.refresh();
        assertNotNull(b.decryptionKey(oldName, 0));

        TicketKey fresh = a.retireAll();
        b.refresh();

        assertNull(b.decryptionKey(oldName, 0));
        assertEquals(fresh.nameHex(), b.encryptionKey().nameHex());
    }

    /** A key another node retired leaves this ring at its next refresh, and its listeners hear so. */
    @Test
    void keysRetiredOnOneNodeAreRemovalsOnTheOther() {
        List<TicketKey> removedFromB = new ArrayList<>();
        b.addRemovalListener(removedFromB::addAll);
        a.refresh();
        TicketKey old = a.encryptionKey();
        b.refresh();

        a.retireAll();
        b.refresh();

        assertEquals(List.of(old.nameHex()), removedFromB.stream().map(TicketKey::nameHex).toList());
    }

    @Test
    void aStoreThatFailsLeavesTheRingSealingWithItsNewestKey() {
        FailingStore failing = new FailingStore();
        TicketKeyRing ring = new TicketKeyRing(ROTATION, LIFETIME, clockA, new SecureRandom(), k -> { }, failing);
        ring.refresh();
        TicketKey first = ring.encryptionKey();
        failing.down = true;
        advance(ROTATION.plusSeconds(1));

        assertEquals(first.nameHex(), ring.encryptionKey().nameHex(), "the overdue key, which other nodes can open");
        advance(LIFETIME);
        TicketKey local = ring.encryptionKey();
        assertEquals(TicketKeyRing.LOCAL_GENERATION, local.generation(), "a key of its own once the old one has expired");
        assertEquals(local.nameHex(), ring.encryptionKey().nameHex());
    }

    /** A store that can be switched off. */
    private static final class FailingStore implements TicketKeyStore {
        private final MemoryTicketKeyStore delegate = new MemoryTicketKeyStore();
        boolean down;

        @Override
        public List<TicketKey> load() {
            check();
            return delegate.load();
        }

        @Override
        public boolean add(TicketKey key) {
            check();
            return delegate.add(key);
        }

        @Override
        public void removeBelow(long generation) {
            check();
            delegate.removeBelow(generation);
        }

        private void check() {
            if (down) {
                throw new IllegalStateException("store down");
            }
        }
    }
}
