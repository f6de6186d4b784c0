package org.reprise.core.metrics;

/** The protocol versions handshakes are counted under. */
public enum Protocol {
    /** TLS 1.2. */
    TLS_1_2("TLSv1.2"),
    /** TLS 1.3. */
    TLS_1_3("TLSv1.3"),
    /** Anything older. */
    OTHER("other");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    /**
     * @param name a protocol name in JSSE's spelling
     * @return its counter
     */
    public static Protocol of(String name) {
        return switch (name) {
            case "TLSv1.2" -> TLS_1_2;
            case "TLSv1.3" -> TLS_1_3;
            default -> OTHER;
        };
    }

    /** @return the protocol's name in metrics ({@code TLSv1.2}) */
    public String label() {
        return label;
    }
}
