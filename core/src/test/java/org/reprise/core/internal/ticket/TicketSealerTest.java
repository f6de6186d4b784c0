package org.reprise.core.internal.ticket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.reprise.core.MutableClock;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.ticket.TicketKey;
import org.reprise.core.ticket.TicketKeyRing;

class TicketSealerTest {

    private static final Duration ROTATION = Duration.ofHours(1);
    private static final Duration LIFETIME = Duration.ofHours(2);
    /** key name, nonce and tag around the ciphertext. */
    private static final int OVERHEAD = TicketKey.NAME_LENGTH + 12 + 16;
    private static final byte[] STATE = "session state: master secret and more".getBytes(StandardCharsets.UTF_8);

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final TicketKeyRing ring = newRing();
    private final TicketSealer sealer = new TicketSealer(ring, new SecureRandom());

    private TicketKeyRing newRing() {
        return new TicketKeyRing(ROTATION, LIFETIME, clock, new SecureRandom(), k -> { });
    }

    private static void assertOpens(byte[] expected, TicketSealer.Opened opened) {
        assertNull(opened.refusal());
        assertArrayEquals(expected, opened.plaintext());
    }

    private static void assertRefused(MissReason expected, TicketSealer.Opened opened, String message) {
        assertEquals(expected, opened.refusal(), message);
        assertNull(opened.plaintext(), message);
    }

    private static void assertRefused(MissReason expected, TicketSealer.Opened opened) {
        assertRefused(expected, opened, "");
    }

    @Test
    void opensWhatItSealed() {
        assertOpens(STATE, sealer.open(sealer.seal(STATE)));
    }

    @Test
    void ticketIsKeyNameNonceCiphertextAndTag() {
        byte[] ticket = sealer.seal(STATE);

        assertEquals(OVERHEAD + STATE.length, ticket.length);
        assertArrayEquals(ring.encryptionKey().name(), Arrays.copyOf(ticket, TicketKey.NAME_LENGTH));
        assertFalse(Arrays.equals(STATE, 0, STATE.length, ticket, TicketKey.NAME_LENGTH + 12,
                TicketKey.NAME_LENGTH + 12 + STATE.length), "the state is encrypted");
    }

    @Test
    void sealingTwiceGivesDifferentTickets() {
        byte[] a = sealer.seal(STATE);
        byte[] b = sealer.seal(STATE);

        assertFalse(Arrays.equals(a, b));
        assertFalse(Arrays.equals(a, TicketKey.NAME_LENGTH, TicketKey.NAME_LENGTH + 12,
                b, TicketKey.NAME_LENGTH, TicketKey.NAME_LENGTH + 12), "fresh nonce per ticket");
        assertOpens(STATE, sealer.open(a));
        assertOpens(STATE, sealer.open(b));
    }

    @Test
    void anotherRingDoesNotKnowTheKey() {
        TicketSealer other = new TicketSealer(newRing(), new SecureRandom());

        assertRefused(MissReason.TICKET_KEY_UNKNOWN, other.open(sealer.seal(STATE)));
    }

    @Test
    void anyFlippedByteIsRefused() {
        byte[] ticket = sealer.seal(STATE);

        for (int i = 0; i < ticket.length; i++) {
            byte[] flipped = ticket.clone();
            flipped[i] ^= (byte) 0xFF;
            MissReason expected = i < TicketKey.NAME_LENGTH ? MissReason.TICKET_KEY_UNKNOWN : MissReason.TICKET_INVALID;
            assertRefused(expected, sealer.open(flipped), "byte " + i + " flipped");
        }
    }

    @Test
    void everyTruncationIsRefusedAsInvalid() {
        byte[] ticket = sealer.seal(STATE);

        for (int length = 0; length < ticket.length; length++) {
            assertRefused(MissReason.TICKET_INVALID, sealer.open(Arrays.copyOf(ticket, length)),
                    "first " + length + " of " + ticket.length + " bytes");
        }
    }

    @Test
    void emptyTicketIsInvalid() {
        assertRefused(MissReason.TICKET_INVALID, sealer.open(new byte[0]));
    }

    @Test
    void ticketLongerThan65535BytesIsInvalid() {
        byte[] tooLong = Arrays.copyOf(sealer.seal(STATE), TicketSealer.MAX_TICKET_LENGTH + 1);

        assertRefused(MissReason.TICKET_INVALID, sealer.open(tooLong));
    }

    @Test
    void ticketOf65535BytesStillOpens() {
        byte[] state = new byte[TicketSealer.MAX_TICKET_LENGTH - OVERHEAD];
        new SecureRandom().nextBytes(state);
        byte[] ticket = sealer.seal(state);

        assertEquals(TicketSealer.MAX_TICKET_LENGTH, ticket.length);
        assertOpens(state, sealer.open(ticket));
    }

    @Test
    void ticketOpensUntilItsKeyStopsDecrypting() {
        byte[] ticket = sealer.seal(STATE);
        Instant decryptUntil = ring.encryptionKey().decryptUntil();

        clock.set(decryptUntil.minusNanos(1));
        assertOpens(STATE, sealer.open(ticket));

        clock.set(decryptUntil);
        assertRefused(MissReason.TICKET_KEY_UNKNOWN, sealer.open(ticket));
    }

    @Test
    void ticketsSealedBeforeRetireAllAreRefused() {
        byte[] ticket = sealer.seal(STATE);

        ring.retireAll();

        assertRefused(MissReason.TICKET_KEY_UNKNOWN, sealer.open(ticket));
        assertOpens(STATE, sealer.open(sealer.seal(STATE)));
    }

    @Test
    void ticketsSealedBeforeRotateStillOpen() {
        byte[] before = sealer.seal(STATE);

        TicketKey next = ring.rotate();
        byte[] after = sealer.seal(STATE);

        assertOpens(STATE, sealer.open(before));
        assertOpens(STATE, sealer.open(after));
        assertArrayEquals(next.name(), Arrays.copyOf(after, TicketKey.NAME_LENGTH), "new tickets use the new key");
    }

    @Test
    void sealingSwitchesToTheKeyARefreshMadeAheadWhenTheOldOnesPeriodEnds() {
        ring.refresh();
        byte[] before = sealer.seal(STATE);

        clock.advance(ROTATION.minus(ROTATION.dividedBy(4)));
        ring.refresh();
        clock.advance(ROTATION.dividedBy(4));
        byte[] after = sealer.seal(STATE);

        assertFalse(Arrays.equals(before, 0, TicketKey.NAME_LENGTH, after, 0, TicketKey.NAME_LENGTH));
        assertOpens(STATE, sealer.open(before));
        assertOpens(STATE, sealer.open(after));
    }

    /** An outcome is a plaintext or a refusal, never both and never neither: the type has no such value. */
    @Test
    void anOutcomeIsExactlyOneOfPlaintextAndRefusal() {
        assertThrows(NullPointerException.class, () -> new TicketSealer.Opened.Plaintext(null));
        assertThrows(NullPointerException.class, () -> new TicketSealer.Opened.Refused(null));
        TicketSealer.Opened refused = new TicketSealer.Opened.Refused(MissReason.TICKET_INVALID);
        assertEquals(MissReason.TICKET_INVALID, refused.refusal());
        assertNull(refused.plaintext());
        TicketSealer.Opened opened = new TicketSealer.Opened.Plaintext(new byte[] {1});
        assertNull(opened.refusal());
        assertEquals(2, TicketSealer.Opened.class.getPermittedSubclasses().length);
    }
}
