package org.reprise.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionIdTest {

    @Test
    void rejectsEmptyBytes() {
        assertThrows(IllegalArgumentException.class, () -> SessionId.of(new byte[0]));
    }

    @Test
    void rejectsMoreThan32Bytes() {
        assertThrows(IllegalArgumentException.class, () -> SessionId.of(new byte[SessionId.MAX_LENGTH + 1]));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, SessionId.MAX_LENGTH})
    void acceptsOneTo32Bytes(int length) {
        assertEquals(length, SessionId.of(new byte[length]).length());
    }

    @Test
    void hexIsLowerCaseAndRoundTrips() {
        SessionId id = SessionId.of(new byte[] {0x00, (byte) 0xAB, 0x7F, (byte) 0xFF});

        assertEquals("00ab7fff", id.hex());
        assertEquals(id, SessionId.fromHex(id.hex()));
        assertEquals(id, SessionId.fromHex("00AB7FFF"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "abc", "zz", "0g"})
    void fromHexRejectsMalformedHex(String hex) {
        assertThrows(IllegalArgumentException.class, () -> SessionId.fromHex(hex));
    }

    @Test
    void fromHexRejectsMoreThan64Digits() {
        assertThrows(IllegalArgumentException.class, () -> SessionId.fromHex("ab".repeat(33)));
    }

    @Test
    void shortHexIsFirstEightDigits() {
        assertEquals("01020304", SessionId.fromHex("0102030405").shortHex());
        assertEquals("0102", SessionId.fromHex("0102").shortHex());
    }

    @Test
    void equalsAndHashCodeFollowTheBytes() {
        SessionId a = SessionId.of(new byte[] {1, 2, 3});
        SessionId b = SessionId.of(new byte[] {1, 2, 3});
        SessionId c = SessionId.of(new byte[] {1, 2, 4});
        SessionId longer = SessionId.of(new byte[] {1, 2, 3, 0});

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, c);
        assertNotEquals(a, longer);
        assertNotEquals(a, (Object) "010203");
    }

    @Test
    void keepsACopyOfTheInputBytes() {
        byte[] input = {1, 2, 3};
        SessionId id = SessionId.of(input);

        input[0] = 9;

        assertEquals("010203", id.hex());
        assertEquals(SessionId.of(new byte[] {1, 2, 3}), id);
    }

    @Test
    void bytesReturnsACopy() {
        SessionId id = SessionId.of(new byte[] {1, 2, 3});

        id.bytes()[0] = 9;

        assertArrayEquals(new byte[] {1, 2, 3}, id.bytes());
    }

    @Test
    void matchesComparesWithRawBytes() {
        SessionId id = SessionId.of(new byte[] {1, 2, 3});

        assertTrue(id.matches(new byte[] {1, 2, 3}));
        assertFalse(id.matches(new byte[] {1, 2}));
        assertFalse(id.matches(Arrays.copyOf(new byte[] {1, 2, 3}, 4)));
    }
}
