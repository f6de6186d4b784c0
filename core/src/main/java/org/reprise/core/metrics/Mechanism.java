package org.reprise.core.metrics;

/** How a client asked to resume. */
public enum Mechanism {
    /** A TLS 1.2 ClientHello naming a session ID. */
    SESSION_ID("session_id"),
    /** A TLS 1.2 ClientHello carrying an RFC 5077 session ticket. */
    TICKET("ticket"),
    /** A TLS 1.3 ClientHello offering a pre-shared key. */
    TLS13_PSK("tls13_psk");

    private final String label;

    Mechanism(String label) {
        this.label = label;
    }

    /** @return the mechanism's name in metrics */
    public String label() {
        return label;
    }
}
