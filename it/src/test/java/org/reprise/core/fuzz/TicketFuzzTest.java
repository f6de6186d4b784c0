package org.reprise.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.reprise.core.internal.ticket.TicketSealer;
import org.reprise.core.ticket.TicketKeyRing;

/**
 * Junk tickets against the ticket opener: raw bytes, bytes behind the name of a live key (so that they reach
 * AES-GCM), and real tickets with bytes changed. The only outcome for anything but an untouched ticket is a
 * refusal; nothing throws.
 */
class TicketFuzzTest {

    private static final byte[] STATE = "a session record's bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final TicketKeyRing ring = new TicketKeyRing(Duration.ofHours(1), Duration.ofHours(1),
            Clock.systemUTC(), new SecureRandom(), key -> { });
    private final TicketSealer sealer = new TicketSealer(ring, new SecureRandom());

    @FuzzTest(maxDuration = "5s")
    void junkIsRefused(FuzzedDataProvider data) {
        byte[] ticket;
        boolean untouched = false;
        switch (data.consumeInt(0, 2)) {
            case 0 -> ticket = data.consumeRemainingAsBytes();
            case 1 -> {
                byte[] name = Arrays.copyOf(sealer.seal(STATE), 16);
                byte[] rest = data.consumeRemainingAsBytes();
                ticket = Arrays.copyOf(name, name.length + rest.length);
                System.arraycopy(rest, 0, ticket, name.length, rest.length);
            }
            default -> {
                byte[] real = sealer.seal(STATE);
                ticket = real.clone();
                int changes = data.consumeInt(0, 4);
                for (int i = 0; i < changes; i++) {
                    ticket[data.consumeInt(0, ticket.length - 1)] ^= data.consumeByte();
                }
                if (data.consumeBoolean()) {
                    ticket = Arrays.copyOf(ticket, data.consumeInt(0, ticket.length + 8));
                }
                untouched = Arrays.equals(real, ticket);
            }
        }

        TicketSealer.Opened opened = sealer.open(ticket);

        if (untouched) {
            assertArrayEquals(STATE, opened.plaintext());
        } else {
            assertNull(opened.plaintext());
            assertNotNull(opened.refusal());
        }
    }
}
