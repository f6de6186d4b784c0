package org.reprise.core.session;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A TLS session ID: 1 to 32 opaque bytes chosen by the server. Immutable; equal when the bytes are
 * equal, so it can key a map.
 */
public final class SessionId {

    /** The longest session ID TLS allows (RFC 5246, section 7.4.1.2). */
    public static final int MAX_LENGTH = 32;

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final int hash;

    private SessionId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * Wraps a copy of the given bytes.
     *
     * @param bytes the session ID, 1 to 32 bytes
     * @return the session ID
     * @throws IllegalArgumentException if {@code bytes} is empty or longer than 32 bytes
     */
    public static SessionId of(byte[] bytes) {
        if (bytes.length == 0 || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "A session ID has 1 to " + MAX_LENGTH + " bytes, not " + bytes.length);
        }
        return new SessionId(bytes.clone());
    }

    /**
     * Parses the hexadecimal form produced by {@link #hex()}.
     *
     * @param hex 2 to 64 hexadecimal digits
     * @return the session ID
     * @throws IllegalArgumentException if {@code hex} is not such a string
     */
    public static SessionId fromHex(String hex) {
        return of(HEX.parseHex(hex));
    }

    /** @return a copy of the ID's bytes */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return the number of bytes in the ID */
    public int length() {
        return bytes.length;
    }

    /** @return the ID as lower-case hexadecimal, as Tomcat shows it in {@code ssl_session_id} */
    public String hex() {
        return HEX.formatHex(bytes);
    }

    /** @return the first 8 hexadecimal digits, enough to tell sessions apart on a screen */
    public String shortHex() {
        String hex = hex();
        return hex.length() <= 8 ? hex : hex.substring(0, 8);
    }

    /**
     * Compares with raw bytes without copying them.
     *
     * @param other candidate bytes
     * @return whether they are this ID
     */
    public boolean matches(byte[] other) {
        return Arrays.equals(bytes, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionId other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return hex();
    }
}
