package org.reprise.engine.openssl;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * What a ticket is bound to, sealed inside it as OpenSSL's ticket application data: the SSLHostConfig and
 * SNI name that issued it, and whether its TLS 1.2 handshake used the extended master secret.
 *
 * <p>Byte form: {@code format (1) | ems (1) | host length (2) | host (UTF-8) | sni (ASCII, the rest; empty =
 * none)}. It is only ever read from a ticket that authenticated under a ring key, but it is parsed as if it
 * were hostile: anything malformed decodes to null.
 *
 * @param extendedMasterSecret whether the session's handshake used the extended master secret (RFC 7627)
 * @param hostConfig           the SSLHostConfig that issued the ticket
 * @param sni                  the SNI name of that handshake, lower case, or null without one
 */
record TicketBinding(boolean extendedMasterSecret, String hostConfig, @Nullable String sni) {

    private static final int MAX_LENGTH = 2 + 2 + 0xFFFF + 255;

    static byte[] encode(byte format, boolean ems, String hostConfig, @Nullable String sni) {
        byte[] host = hostConfig.getBytes(StandardCharsets.UTF_8);
        byte[] name = sni == null ? new byte[0] : sni.getBytes(StandardCharsets.US_ASCII);
        if (host.length > 0xFFFF) {
            throw new IllegalArgumentException("SSLHostConfig name too long for a ticket");
        }
        return ByteBuffer.allocate(4 + host.length + name.length).put(format).put((byte) (ems ? 1 : 0))
                .putShort((short) host.length).put(host).put(name).array();
    }

    /** @return the binding, or null if {@code bytes} is not one in {@code format} */
    static @Nullable TicketBinding decode(byte format, byte[] bytes) {
        if (bytes.length < 4 || bytes.length > MAX_LENGTH || bytes[0] != format || (bytes[1] & 0xFE) != 0) {
            return null;
        }
        int hostLength = (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
        if (4 + hostLength > bytes.length) {
            return null;
        }
        try {
            String host = strict(StandardCharsets.UTF_8, bytes, 4, hostLength);
            int sniLength = bytes.length - 4 - hostLength;
            String sni = sniLength == 0 ? null : strict(StandardCharsets.US_ASCII, bytes, 4 + hostLength, sniLength);
            return new TicketBinding(bytes[1] == 1, host, sni);
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Decodes without replacing: a byte that is not {@code charset} is an error, not a U+FFFD. */
    private static String strict(Charset charset, byte[] bytes, int offset, int length)
            throws CharacterCodingException {
        return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, offset, length))
                .toString();
    }
}
