package org.reprise.core.metrics;

/**
 * Why a requested resumption ended in a full handshake. The reasons from {@link #REALM_MISMATCH} to
 * {@link #AUTH_EXPIRED} are the rules of Reprise's one resumption policy: a session found but
 * not accepted, because it would not have been accepted fresh.
 */
public enum MissReason {
    /** No session with the offered ID is known (never stored, evicted, purged, or made elsewhere). */
    UNKNOWN("unknown"),
    /** The session or ticket was found but its own lifetime ({@code sessionTimeout} from its making) has passed. */
    EXPIRED("expired"),
    /** The session was made by another realm: a connector, or cluster, that does not share sessions with this one. */
    REALM_MISMATCH("realm_mismatch"),
    /** The session was made for another SSLHostConfig or another SNI name (or the client's SNI is malformed). */
    HOST_MISMATCH("host_mismatch"),
    /** The session was made under another protocol version than this handshake's. */
    PROTOCOL_MISMATCH("protocol_mismatch"),
    /** The session's cipher suite is no longer enabled on the host, or the client no longer offers it. */
    CIPHER_UNAVAILABLE("cipher_unavailable"),
    /**
     * TLS 1.2 extended master secret rules (RFC 7627): the client's offer differs from the session's, or neither
     * has it and legacy resumption is not allowed.
     */
    EMS_MISMATCH("ems_mismatch"),
    /** The host requires a verified client certificate and the session has none. */
    CLIENT_CERT_REQUIRED("client_cert_required"),
    /** The session was made under another client-certificate policy (verification mode or trust anchors). */
    CLIENT_AUTH_CHANGED("client_auth_changed"),
    /**
     * The authentication the session rests on has expired: its line's first full handshake is older than
     * {@code min(sessionTimeout, 7 days)} (RFC 8446, 4.6.1), or its client certificate is past its notAfter.
     */
    AUTH_EXPIRED("auth_expired"),
    /** The ticket names a key the ring does not have, or no longer decrypts with. */
    TICKET_KEY_UNKNOWN("ticket_key_unknown"),
    /** The ticket is truncated, forged, corrupted or does not hold a session this engine can read. */
    TICKET_INVALID("ticket_invalid"),
    /**
     * The engine cannot resume this request: TLS 1.3 on Bouncy Castle, a session made by another engine or by an
     * earlier version of this one, or one the TLS library declined after Reprise accepted it.
     */
    ENGINE_UNSUPPORTED("engine_unsupported"),
    /** The session store failed or was too slow; the session may well exist. */
    STORE_ERROR("store_error");

    private final String label;

    MissReason(String label) {
        this.label = label;
    }

    /** @return the reason's name in metrics and logs */
    public String label() {
        return label;
    }
}
