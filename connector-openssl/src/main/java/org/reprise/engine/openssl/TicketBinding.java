package org.reprise.engine.openssl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.reprise.core.internal.policy.ServerNames;

/**
 * What a session is bound to, sealed inside it as OpenSSL's ticket application data: in a ticket (stateless
 * mode), and in the session's DER form kept in the store (stateful mode), since {@code i2d_SSL_SESSION} writes
 * the application data too (ssl_asn1.c, field 18). It names the realm, client-auth policy, SSLHostConfig and
 * SNI name that issued the session, whether its TLS 1.2 handshake used the extended master secret, and the
 * facts that bound its life: when the full handshake of its line authenticated the client, when this session
 * was issued, when the client certificate stops being valid, and the session the line began with.
 *
 * <p>Byte form ({@link #FORMAT} 2): {@code format (1) | ems (1) | authenticated (8) | issued (8) | peer notAfter
 * (8) | realm digest (16) | client-auth policy (16) | origin length (1) | origin | host length (2) | host
 * (UTF-8) | sni (ASCII by {@link ServerNames}' rules, the rest; empty = none)}; times are milliseconds since the epoch, a notAfter of
 * {@link Long#MIN_VALUE} means no client certificate. It is only ever read from a session that authenticated
 * under a ring key or came out of the store, but it is parsed as if it were hostile: anything malformed
 * decodes to null, and what decodes encodes back to the same bytes.
 *
 * @param extendedMasterSecret whether the session's handshake used the extended master secret (RFC 7627)
 * @param authenticated        when the full handshake of the session's line completed (never moved by a renewal)
 * @param issued               when this session (ticket) was made
 * @param peerNotAfter         the end of the client certificate's validity, or null without one
 * @param realm                the digest of the realm that issued it ({@link #REALM_LENGTH} bytes)
 * @param clientAuthPolicy     the fingerprint of the issuing host's client-auth policy
 *                             ({@link org.reprise.tomcat.ClientAuthPolicy})
 * @param origin               the ID of the line's first session, empty if it had none (a TLS 1.2 ticket)
 * @param hostConfig           the SSLHostConfig that issued it
 * @param sni                  the SNI name of that handshake as {@link ServerNames#normalize} reads it, or null
 *                             without one
 */
record TicketBinding(boolean extendedMasterSecret, Instant authenticated, Instant issued,
        @Nullable Instant peerNotAfter, byte[] realm, byte[] clientAuthPolicy, byte[] origin, String hostConfig,
        @Nullable String sni) {

    /** The byte form written now; sessions of another form (the format 1 of earlier versions) do not resume. */
    static final byte FORMAT = 2;
    static final int REALM_LENGTH = 16;
    static final int POLICY_LENGTH = 16;
    private static final int MAX_ORIGIN = 32;
    private static final int FIXED = 1 + 1 + 8 + 8 + 8 + REALM_LENGTH + POLICY_LENGTH + 1;
    private static final long NO_CERTIFICATE = Long.MIN_VALUE;
    /** The longest form: no host name reaches the 64 KiB its length field allows. */
    static final int MAX_LENGTH = FIXED + MAX_ORIGIN + 2 + 0xFFFF + 255;

    TicketBinding {
        Objects.requireNonNull(authenticated, "authenticated");
        Objects.requireNonNull(issued, "issued");
        Objects.requireNonNull(hostConfig, "hostConfig");
        if (sni != null && !sni.equals(ServerNames.normalize(sni))) {
            throw new IllegalArgumentException("not an SNI name by ServerNames' rules");
        }
        if (realm.length != REALM_LENGTH || clientAuthPolicy.length != POLICY_LENGTH || origin.length > MAX_ORIGIN) {
            throw new IllegalArgumentException("realm, policy or origin of the wrong length");
        }
        realm = realm.clone();
        clientAuthPolicy = clientAuthPolicy.clone();
        origin = origin.clone();
    }

    @Override
    public byte[] realm() {
        return realm.clone();
    }

    @Override
    public byte[] clientAuthPolicy() {
        return clientAuthPolicy.clone();
    }

    @Override
    public byte[] origin() {
        return origin.clone();
    }

    /** Whether the binding names this realm digest and client-auth policy fingerprint. */
    boolean boundTo(byte[] realmDigest, byte[] policy) {
        return java.security.MessageDigest.isEqual(realm, realmDigest)
                && java.security.MessageDigest.isEqual(clientAuthPolicy, policy);
    }

    byte[] encode() {
        byte[] host = hostConfig.getBytes(StandardCharsets.UTF_8);
        byte[] name = sni == null ? new byte[0] : sni.getBytes(StandardCharsets.US_ASCII);
        if (host.length > 0xFFFF || name.length > 255) {
            throw new IllegalArgumentException("SSLHostConfig or SNI name too long for a ticket");
        }
        return ByteBuffer.allocate(FIXED + origin.length + 2 + host.length + name.length)
                .put(FORMAT).put((byte) (extendedMasterSecret ? 1 : 0))
                .putLong(authenticated.toEpochMilli()).putLong(issued.toEpochMilli())
                .putLong(peerNotAfter == null ? NO_CERTIFICATE : peerNotAfter.toEpochMilli())
                .put(realm).put(clientAuthPolicy).put((byte) origin.length).put(origin)
                .putShort((short) host.length).put(host).put(name).array();
    }

    /** @return the binding, or null if {@code bytes} is not one in {@link #FORMAT} */
    static @Nullable TicketBinding decode(byte[] bytes) {
        if (bytes.length < FIXED + 2 || bytes.length > MAX_LENGTH || bytes[0] != FORMAT || (bytes[1] & 0xFE) != 0) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(2);
        long authenticated = in.getLong();
        long issued = in.getLong();
        long notAfter = in.getLong();
        byte[] realm = new byte[REALM_LENGTH];
        in.get(realm);
        byte[] policy = new byte[POLICY_LENGTH];
        in.get(policy);
        int originLength = in.get() & 0xFF;
        if (originLength > MAX_ORIGIN || in.remaining() < originLength + 2) {
            return null;
        }
        byte[] origin = new byte[originLength];
        in.get(origin);
        int hostLength = in.getShort() & 0xFFFF;
        int sniLength = in.remaining() - hostLength;
        if (sniLength < 0 || sniLength > 255) {
            return null;
        }
        try {
            String host = strict(StandardCharsets.UTF_8, bytes, in.position(), hostLength);
            String sni = sniLength == 0 ? null
                    : new String(bytes, in.position() + hostLength, sniLength, StandardCharsets.ISO_8859_1);
            if (sni != null && !sni.equals(ServerNames.normalize(sni))) {
                // the one SNI reader's rules (lower case, a DNS name): nothing else was ever sealed here
                return null;
            }
            return new TicketBinding(bytes[1] == 1, Instant.ofEpochMilli(authenticated), Instant.ofEpochMilli(issued),
                    notAfter == NO_CERTIFICATE ? null : Instant.ofEpochMilli(notAfter), realm, policy, origin, host,
                    sni);
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

    // arrays compare by content: two bindings are equal when they encode alike
    @Override
    public boolean equals(Object o) {
        return o instanceof TicketBinding other && extendedMasterSecret == other.extendedMasterSecret
                && authenticated.equals(other.authenticated) && issued.equals(other.issued)
                && Objects.equals(peerNotAfter, other.peerNotAfter) && Arrays.equals(realm, other.realm)
                && Arrays.equals(clientAuthPolicy, other.clientAuthPolicy) && Arrays.equals(origin, other.origin)
                && hostConfig.equals(other.hostConfig) && Objects.equals(sni, other.sni);
    }

    @Override
    public int hashCode() {
        return Objects.hash(extendedMasterSecret, authenticated, issued, peerNotAfter, Arrays.hashCode(realm),
                Arrays.hashCode(clientAuthPolicy), Arrays.hashCode(origin), hostConfig, sni);
    }

    @Override
    public String toString() {
        return "TicketBinding[ems=" + extendedMasterSecret + ", authenticated=" + authenticated + ", issued=" + issued
                + ", peerNotAfter=" + peerNotAfter + ", hostConfig=" + hostConfig + ", sni=" + sni + "]";
    }
}
