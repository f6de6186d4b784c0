package org.reprise.engine.openssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TicketBindingTest {

    private static final byte FORMAT = 1;

    @Test
    void encodedBindingDecodesToItself() {
        assertEquals(new TicketBinding(true, "_default_", "www.example.org"),
                TicketBinding.decode(FORMAT, TicketBinding.encode(FORMAT, true, "_default_", "www.example.org")));
        assertEquals(new TicketBinding(false, "h\u00f6st", null),
                TicketBinding.decode(FORMAT, TicketBinding.encode(FORMAT, false, "h\u00f6st", null)));
    }

    @Test
    void anotherFormatATruncatedHostOrABadFlagIsRefused() {
        byte[] good = TicketBinding.encode(FORMAT, true, "_default_", "a.example");
        assertNull(TicketBinding.decode((byte) 2, good));
        assertNull(TicketBinding.decode(FORMAT, Arrays.copyOf(good, 8)));
        byte[] flag = good.clone();
        flag[1] = 2;
        assertNull(TicketBinding.decode(FORMAT, flag));
    }

    /** The format says ASCII: a byte above 127 in the SNI name is malformed, not a name with U+FFFD in it. */
    @Test
    void aNonAsciiSniNameIsRefused() {
        byte[] bytes = TicketBinding.encode(FORMAT, true, "_default_", "a.example");
        bytes[bytes.length - 1] = (byte) 0xE9;
        assertNull(TicketBinding.decode(FORMAT, bytes));
    }

    @Test
    void aHostThatIsNotUtf8IsRefused() {
        byte[] bytes = TicketBinding.encode(FORMAT, false, "abc", null);
        bytes[5] = (byte) 0xC3;
        assertNull(TicketBinding.decode(FORMAT, bytes));
    }
}
