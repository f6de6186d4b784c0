package org.reprise.core.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one SNI reader: well-formed lists give their host name, anything else {@link ServerNames#INVALID}. */
class ServerNamesTest {

    /** A ServerNameList of (type, name) entries; the list length is right unless {@code lengthDelta} says. */
    private static byte[] list(int lengthDelta, Object... entries) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < entries.length; i += 2) {
            byte[] name = ((String) entries[i + 1]).getBytes(StandardCharsets.ISO_8859_1);
            body.write((Integer) entries[i]);
            body.write(name.length >> 8);
            body.write(name.length);
            body.writeBytes(name);
        }
        int length = body.size() + lengthDelta;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(length >> 8);
        out.write(length);
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    static Stream<Arguments> extensions() {
        String i = ServerNames.INVALID;
        return Stream.of(
                Arguments.of("one host name", list(0, 0, "WWW.Example.com"), "www.example.com"),
                Arguments.of("underscore and digits", list(0, 0, "a_1.b-2.c"), "a_1.b-2.c"),
                Arguments.of("other type skipped", list(0, 7, "x", 0, "example.com"), "example.com"),
                Arguments.of("only another type", list(0, 7, "x"), null),
                Arguments.of("two host names", list(0, 0, "a.com", 0, "b.com"), i),
                Arguments.of("list longer than said", list(1, 0, "a.com"), i),
                Arguments.of("list shorter than said", list(-1, 0, "a.com"), i),
                Arguments.of("empty list", list(0), i),
                Arguments.of("one byte", new byte[] {0}, i),
                Arguments.of("empty name", list(0, 0, ""), i),
                Arguments.of("trailing dot", list(0, 0, "example.com."), i),
                Arguments.of("leading dot", list(0, 0, ".example.com"), i),
                Arguments.of("empty label", list(0, 0, "a..com"), i),
                Arguments.of("NUL inside", list(0, 0, "a\0.com"), i),
                Arguments.of("space", list(0, 0, "a b.com"), i),
                Arguments.of("non-ASCII", list(0, 0, "caf\u00e9.com"), i),
                Arguments.of("256 bytes", list(0, 0, "a".repeat(256)), i),
                Arguments.of("255 bytes", list(0, 0, "a".repeat(255)), "a".repeat(255)),
                Arguments.of("truncated entry header", new byte[] {0, 2, 0, 0}, i));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extensions")
    void fromExtension(String name, byte[] extension, @Nullable String expected) {
        assertEquals(expected, ServerNames.fromExtension(extension), name);
    }

    @Test
    void absentExtensionIsNoName() {
        assertEquals(null, ServerNames.fromExtension(null));
    }

    @Test
    void normalizeAppliesTheSameRules() {
        assertEquals("www.example.com", ServerNames.normalize("WWW.example.COM"));
        assertEquals(null, ServerNames.normalize(null));
        assertEquals(ServerNames.INVALID, ServerNames.normalize("example.com."));
        assertEquals(ServerNames.INVALID, ServerNames.normalize("\u0101.com"));
        assertEquals(ServerNames.INVALID, ServerNames.normalize(""));
    }
}
