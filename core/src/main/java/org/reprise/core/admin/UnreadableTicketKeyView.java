package org.reprise.core.admin;

import javax.management.ConstructorParameters;

/**
 * A stored ticket key this node cannot open, as the admin page shows it: a shared store's row sealed
 * under a data key this node lacks. Tickets sealed under it by other nodes are full handshakes here.
 */
public final class UnreadableTicketKeyView {

    private final long generation;
    private final String dataKeyId;
    private final long decryptUntil;

    /**
     * @param generation   the key's generation
     * @param dataKeyId    the ID of the data key that sealed it (public: an ID, never the key)
     * @param decryptUntil when it stops opening tickets, epoch milliseconds
     */
    @ConstructorParameters({"generation", "dataKeyId", "decryptUntil"})
    public UnreadableTicketKeyView(long generation, String dataKeyId, long decryptUntil) {
        this.generation = generation;
        this.dataKeyId = dataKeyId;
        this.decryptUntil = decryptUntil;
    }

    /** @return the key's generation */
    public long getGeneration() {
        return generation;
    }

    /** @return the ID of the data key that sealed it */
    public String getDataKeyId() {
        return dataKeyId;
    }

    /** @return when it stops opening tickets, epoch milliseconds */
    public long getDecryptUntil() {
        return decryptUntil;
    }
}
