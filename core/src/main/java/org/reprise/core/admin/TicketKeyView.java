package org.reprise.core.admin;

import javax.management.ConstructorParameters;

/** One ticket key as the admin page shows it: its name and times, never its bytes. */
public final class TicketKeyView {

    private final long generation;
    private final String name;
    private final long created;
    private final long encryptUntil;
    private final long decryptUntil;
    private final boolean encrypting;

    /**
     * @param generation   the key's generation
     * @param name         the key's name, hexadecimal (public: it travels in every ticket)
     * @param created      when it was made, epoch milliseconds
     * @param encryptUntil when it stops sealing tickets
     * @param decryptUntil when it stops opening them
     * @param encrypting   whether it is the key sealing tickets now
     */
    @ConstructorParameters({"generation", "name", "created", "encryptUntil", "decryptUntil", "encrypting"})
    public TicketKeyView(long generation, String name, long created, long encryptUntil, long decryptUntil,
            boolean encrypting) {
        this.generation = generation;
        this.name = name;
        this.created = created;
        this.encryptUntil = encryptUntil;
        this.decryptUntil = decryptUntil;
        this.encrypting = encrypting;
    }

    /** @return the key's generation */
    public long getGeneration() {
        return generation;
    }

    /** @return the key's name, hexadecimal */
    public String getName() {
        return name;
    }

    /** @return when it was made, epoch milliseconds */
    public long getCreated() {
        return created;
    }

    /** @return when it stops sealing tickets, epoch milliseconds */
    public long getEncryptUntil() {
        return encryptUntil;
    }

    /** @return when it stops opening tickets, epoch milliseconds */
    public long getDecryptUntil() {
        return decryptUntil;
    }

    /** @return whether it seals tickets now */
    public boolean isEncrypting() {
        return encrypting;
    }
}
