package org.reprise.core.ticket;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One named AES-256 key of the {@link TicketKeyRing}. It seals new tickets until
 * {@link #encryptUntil()} and opens tickets until {@link #decryptUntil()}.
 *
 * <p>Immutable. The name travels in every ticket in clear and is not secret; the key bytes never
 * appear in {@link #toString()} and are only handed out, as a copy, by {@link #keyBytes()}.
 */
public final class TicketKey {

    /** Length of a key name in bytes (RFC 5077's recommended {@code key_name}). */
    public static final int NAME_LENGTH = 16;
    /** Length of the AES key in bytes. */
    public static final int KEY_LENGTH = 32;

    private final long generation;
    private final byte[] name;
    private final SecretKey key;
    private final Instant created;
    private final Instant encryptUntil;
    private final Instant decryptUntil;

    /**
     * @param generation   the key's place in its ring's history: each new encrypting key has the next
     *                     generation, and a shared store lets only one key per generation exist
     * @param name         16 bytes naming the key
     * @param keyBytes     32 bytes of AES key; copied
     * @param created      when the key was made
     * @param encryptUntil when it stops sealing tickets
     * @param decryptUntil when it stops opening them; not before {@code encryptUntil}
     */
    public TicketKey(long generation, byte[] name, byte[] keyBytes, Instant created, Instant encryptUntil,
            Instant decryptUntil) {
        if (name.length != NAME_LENGTH) {
            throw new IllegalArgumentException("A ticket key name has " + NAME_LENGTH + " bytes");
        }
        if (keyBytes.length != KEY_LENGTH) {
            throw new IllegalArgumentException("A ticket key has " + KEY_LENGTH + " bytes");
        }
        if (encryptUntil.isBefore(created) || decryptUntil.isBefore(encryptUntil)) {
            throw new IllegalArgumentException("Ticket key times must satisfy created <= encryptUntil <= decryptUntil");
        }
        this.generation = generation;
        this.name = name.clone();
        this.key = new SecretKeySpec(keyBytes, "AES");
        this.created = Objects.requireNonNull(created);
        this.encryptUntil = Objects.requireNonNull(encryptUntil);
        this.decryptUntil = Objects.requireNonNull(decryptUntil);
    }

    /** @return the key's generation: the newest key of a ring has the highest */
    public long generation() {
        return generation;
    }

    /** @return a copy of the key's name */
    public byte[] name() {
        return name.clone();
    }

    /** @return the key's name in hexadecimal: what identifies it on screens and in logs */
    public String nameHex() {
        return HexFormat.of().formatHex(name);
    }

    boolean hasName(byte[] ticket, int offset) {
        return Arrays.equals(name, 0, NAME_LENGTH, ticket, offset, offset + NAME_LENGTH);
    }

    /** Whether {@code other} is this key, possibly another instance of it loaded from a store. */
    boolean sameKey(TicketKey other) {
        return generation == other.generation && Arrays.equals(name, other.name);
    }

    /**
     * The raw key, for a {@link TicketKeyStore} that must persist it. Whoever calls this holds a secret
     * that opens every ticket sealed under the key: encrypt it before it leaves memory, never log it.
     *
     * @return a copy of the 32 key bytes
     */
    public byte[] keyBytes() {
        return key.getEncoded();
    }

    /** @return when the key was made */
    public Instant created() {
        return created;
    }

    /** @return the first instant at which the key no longer seals tickets */
    public Instant encryptUntil() {
        return encryptUntil;
    }

    /** @return the first instant at which the key no longer opens tickets */
    public Instant decryptUntil() {
        return decryptUntil;
    }

    /**
     * @param now the current time
     * @return whether the key may seal a ticket at {@code now}
     */
    public boolean canEncryptAt(Instant now) {
        return now.isBefore(encryptUntil);
    }

    /**
     * @param now the current time
     * @return whether the key may open a ticket at {@code now}
     */
    public boolean canDecryptAt(Instant now) {
        return now.isBefore(decryptUntil);
    }

    /** @return the key's name and times; never its bytes */
    @Override
    public String toString() {
        return "TicketKey[generation=" + generation + ", name=" + nameHex() + ", created=" + created + ", encryptUntil=" + encryptUntil
                + ", decryptUntil=" + decryptUntil + "]";
    }
}
