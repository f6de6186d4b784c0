package org.reprise.core.internal.policy;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The one reader of SNI names (RFC 6066, 3), for every engine, the ClientHello's and the one sealed in a session
 * alike, after Go's crypto/tls: a {@code server_name} extension is a list that fills its length exactly, holds at
 * most one {@code host_name}, and that name is a DNS name (letters, digits, {@code -}, {@code _} and dots between
 * labels, 1 to 255 bytes, no trailing dot); names are compared in lower case. Other name types are skipped.
 *
 * <p>An extension that breaks these rules reads as {@link #INVALID}, which matches no session: its client gets a
 * full handshake (the TLS library decides whether to go on at all), never a session made under another name or
 * under none. Stateless; thread-safe.
 */
public final class ServerNames {

    /** What a malformed {@code server_name} extension reads as: matches no session's name, not even none. */
    public static final String INVALID = "";

    private static final int HOST_NAME = 0;
    private static final int MAX_NAME = 255;

    private ServerNames() {
    }

    /**
     * @param extension the {@code server_name} extension's data (the ServerNameList), or null if the ClientHello
     *                  has none
     * @return the host name, lower case; null if there is no extension or it names no host; {@link #INVALID} if
     *         it is malformed
     */
    public static @Nullable String fromExtension(byte @Nullable [] extension) {
        if (extension == null) {
            return null;
        }
        if (extension.length < 2 || ((extension[0] & 0xFF) << 8 | (extension[1] & 0xFF)) != extension.length - 2
                || extension.length == 2) {
            return INVALID;
        }
        String host = null;
        int i = 2;
        while (i < extension.length) {
            if (i + 3 > extension.length) {
                return INVALID;
            }
            int type = extension[i] & 0xFF;
            int length = (extension[i + 1] & 0xFF) << 8 | (extension[i + 2] & 0xFF);
            int start = i + 3;
            if (start + length > extension.length) {
                return INVALID;
            }
            if (type == HOST_NAME) {
                if (host != null) {
                    return INVALID;
                }
                host = hostName(extension, start, length);
                if (host == null) {
                    return INVALID;
                }
            }
            i = start + length;
        }
        return host;
    }

    /**
     * @param name a host name as a TLS library or a sealed session reports it, or null for none
     * @return the name, lower case; null for none; {@link #INVALID} if it is not a DNS name by the rules above
     */
    public static @Nullable String normalize(@Nullable String name) {
        if (name == null) {
            return null;
        }
        byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
        String host = bytes.length == name.length() ? hostName(bytes, 0, bytes.length) : null;
        return host == null ? INVALID : host;
    }

    /** @return the name lower case, or null if it is not 1 to 255 bytes of labels of LDH and underscore */
    private static @Nullable String hostName(byte[] bytes, int offset, int length) {
        if (length < 1 || length > MAX_NAME) {
            return null;
        }
        char[] chars = new char[length];
        boolean labelStart = true;
        for (int k = 0; k < length; k++) {
            int b = bytes[offset + k] & 0xFF;
            if (b == '.') {
                if (labelStart) {
                    return null;
                }
                labelStart = true;
            } else if (b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' || b == '_') {
                labelStart = false;
            } else if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
                labelStart = false;
            } else {
                return null;
            }
            chars[k] = (char) b;
        }
        return labelStart ? null : new String(chars);
    }
}
