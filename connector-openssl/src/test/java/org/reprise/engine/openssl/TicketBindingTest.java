package org.reprise.engine.openssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TicketBindingTest {

    private static final Instant AUTHENTICATED = Instant.ofEpochMilli(1_800_000_000_000L);
    private static final Instant ISSUED = AUTHENTICATED.plusSeconds(2400);
    private static final byte[] REALM = filled(1, TicketBinding.REALM_LENGTH);
    private static final byte[] POLICY = filled(2, TicketBinding.POLICY_LENGTH);

    private static byte[] filled(int value, int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static TicketBinding binding(boolean ems, Instant notAfter, byte[] origin, String host, String sni) {
        return new TicketBinding(ems, AUTHENTICATED, ISSUED, notAfter, REALM, POLICY, origin, host, sni);
    }

    @Test
    void encodedBindingDecodesToItself() {
        for (TicketBinding b : new TicketBinding[] {
                binding(true, ISSUED.plusSeconds(3600), filled(7, 32), "_default_", "www.example.org"),
                binding(false, null, new byte[0], "h\u00f6st", null)}) {
            TicketBinding decoded = TicketBinding.decode(b.encode());
            assertEquals(b, decoded);
            assertEquals(AUTHENTICATED, decoded.authenticated(), "the line's authentication time is kept");
            assertArrayEquals(b.origin(), decoded.origin());
            assertArrayEquals(b.encode(), decoded.encode());
        }
    }

    @Test
    void anotherFormatATruncatedHostOrABadFlagIsRefused() {
        byte[] good = binding(true, null, filled(3, 32), "_default_", "a.example").encode();
        byte[] format1 = good.clone();
        format1[0] = 1;
        assertNull(TicketBinding.decode(format1), "the format of earlier versions, bound to no realm");
        assertNull(TicketBinding.decode(Arrays.copyOf(good, 40)));
        byte[] flag = good.clone();
        flag[1] = 2;
        assertNull(TicketBinding.decode(flag));
        byte[] origin = good.clone();
        origin[1 + 1 + 8 + 8 + 8 + 16 + 16] = 33;
        assertNull(TicketBinding.decode(origin), "an origin longer than a session ID");
    }

    /** The format says ASCII: a byte above 127 in the SNI name is malformed, not a name with U+FFFD in it. */
    @Test
    void aNonAsciiSniNameIsRefused() {
        byte[] bytes = binding(true, null, new byte[0], "_default_", "a.example").encode();
        bytes[bytes.length - 1] = (byte) 0xE9;
        assertNull(TicketBinding.decode(bytes));
    }

    /** The one SNI reader's rules hold for a sealed name too: upper case or a trailing dot was never sealed. */
    @Test
    void anSniNameServerNamesWouldNotReadIsRefused() {
        byte[] upper = binding(true, null, new byte[0], "_default_", "a.example").encode();
        upper[upper.length - 1] = 'E';
        assertNull(TicketBinding.decode(upper));
        byte[] dot = binding(true, null, new byte[0], "_default_", "a.example").encode();
        dot[dot.length - 1] = '.';
        assertNull(TicketBinding.decode(dot));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> binding(true, null, new byte[0], "_default_", "A.example"));
    }

    @Test
    void aHostThatIsNotUtf8IsRefused() {
        byte[] bytes = binding(false, null, new byte[0], "abc", null).encode();
        bytes[bytes.length - 2] = (byte) 0xC3;
        assertNull(TicketBinding.decode(bytes));
    }
}
