package org.reprise.core.metrics;

/** Why a requested resumption ended in a full handshake. */
public enum MissReason {
    /** No session with the offered ID is known (never stored, evicted, purged, or made elsewhere). */
    UNKNOWN("unknown"),
    /** The session or ticket was found but its lifetime has passed. */
    EXPIRED("expired"),
    /**
     * The session would not be accepted fresh: another SSLHostConfig or SNI name, another protocol
     * version, a cipher suite no longer enabled or offered, extended master secret rules (RFC 7627), or
     * a client certificate now required that the session lacks.
     */
    BINDING_MISMATCH("binding_mismatch"),
    /** The ticket names a key the ring does not have, or no longer decrypts with. */
    TICKET_KEY_UNKNOWN("ticket_key_unknown"),
    /** The ticket is truncated, forged, corrupted or does not hold a session this engine can read. */
    TICKET_INVALID("ticket_invalid"),
    /** The engine cannot resume this kind of request (for example TLS 1.3 on Bouncy Castle). */
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
