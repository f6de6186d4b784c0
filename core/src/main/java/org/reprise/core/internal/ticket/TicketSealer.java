package org.reprise.core.internal.ticket;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.ticket.TicketKey;
import org.reprise.core.ticket.TicketKeyRing;

/**
 * Seals session state into tickets and opens them again, with AES-256-GCM under the keys of a
 * {@link TicketKeyRing}.
 *
 * <p>A ticket is {@code key_name (16) | nonce (12) | ciphertext | tag (16)}; the key name is also
 * authenticated as associated data. A fresh random nonce per ticket keeps GCM safe for far more tickets
 * than a key ever seals between rotations. Thread-safe.
 */
public final class TicketSealer {

    /** The longest ticket a client may send (RFC 5077: {@code opaque ticket<1..2^16-1>}). */
    public static final int MAX_TICKET_LENGTH = 0xFFFF;

    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final int OVERHEAD = TicketKey.NAME_LENGTH + NONCE_LENGTH + TAG_BITS / 8;

    private final TicketKeyRing ring;
    private final SecureRandom random;

    /**
     * @param ring   the keys
     * @param random the nonce source
     */
    public TicketSealer(TicketKeyRing ring, SecureRandom random) {
        this.ring = ring;
        this.random = random;
    }

    /**
     * The outcome of opening a ticket: exactly one of its plaintext ({@link Plaintext}) or why it was refused
     * ({@link Refused}). Switch over the two, or read {@link #plaintext()} and {@link #refusal()}, of which
     * exactly one is null.
     */
    public sealed interface Opened permits Opened.Plaintext, Opened.Refused {

        /** @return the sealed state, or null when refused */
        default byte @Nullable [] plaintext() {
            return null;
        }

        /** @return why the ticket was refused, or null when opened */
        default @Nullable MissReason refusal() {
            return null;
        }

        /** @param plaintext the sealed state */
        record Plaintext(byte[] plaintext) implements Opened {
            public Plaintext {
                Objects.requireNonNull(plaintext, "plaintext");
            }
        }

        /** @param refusal why the ticket was refused */
        record Refused(MissReason refusal) implements Opened {
            public Refused {
                Objects.requireNonNull(refusal, "refusal");
            }
        }
    }

    /**
     * @param plaintext the state to seal
     * @return the ticket
     */
    public byte[] seal(byte[] plaintext) {
        TicketKey key = ring.encryptionKey();
        byte[] ticket = new byte[OVERHEAD + plaintext.length];
        System.arraycopy(key.name(), 0, ticket, 0, TicketKey.NAME_LENGTH);
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, ticket, TicketKey.NAME_LENGTH, NONCE_LENGTH);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, secretKey(key), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(ticket, 0, TicketKey.NAME_LENGTH);
            cipher.doFinal(plaintext, 0, plaintext.length, ticket, TicketKey.NAME_LENGTH + NONCE_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JVM", e);
        }
        return ticket;
    }

    /**
     * Opens a ticket a client sent. Never throws on bad input: junk, truncation, forgery, an unknown or
     * expired key all come back as a refusal.
     *
     * @param ticket the ticket bytes
     * @return the plaintext, or the reason for refusing the ticket
     */
    public Opened open(byte[] ticket) {
        if (ticket.length <= OVERHEAD || ticket.length > MAX_TICKET_LENGTH) {
            return new Opened.Refused(MissReason.TICKET_INVALID);
        }
        TicketKey key = ring.decryptionKey(ticket, 0);
        if (key == null) {
            return new Opened.Refused(MissReason.TICKET_KEY_UNKNOWN);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, secretKey(key),
                    new GCMParameterSpec(TAG_BITS, ticket, TicketKey.NAME_LENGTH, NONCE_LENGTH));
            cipher.updateAAD(ticket, 0, TicketKey.NAME_LENGTH);
            int start = TicketKey.NAME_LENGTH + NONCE_LENGTH;
            return new Opened.Plaintext(cipher.doFinal(ticket, start, ticket.length - start));
        } catch (AEADBadTagException e) {
            return new Opened.Refused(MissReason.TICKET_INVALID);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JVM", e);
        }
    }

    /** The key for the cipher, made from a copy of its bytes that is wiped at once. */
    private static SecretKeySpec secretKey(TicketKey key) {
        byte[] bytes = key.keyBytes();
        try {
            return new SecretKeySpec(bytes, "AES");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
