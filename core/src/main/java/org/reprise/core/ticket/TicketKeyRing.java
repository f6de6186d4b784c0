package org.reprise.core.ticket;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The session ticket keys of one connector: exactly one key seals new tickets, older keys only open
 * tickets until they expire, and rotation happens by itself.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>The ring always has an encrypting key: when the current key's {@code encryptUntil} passes,
 *       the next call to {@link #encryptionKey()} makes a fresh key before it returns.</li>
 *   <li>A key opens tickets for {@code rotation + ticketLifetime} after it was made, so a ticket
 *       sealed at the last moment of a key's encrypting period still opens for its whole lifetime.</li>
 *   <li>Thread-safe. Reading keys takes no lock and allocates nothing; only rotation locks.</li>
 * </ul>
 * Key bytes live only in this object (and, in later versions, in a store built to keep them).
 */
public final class TicketKeyRing {

    /** Hears about each key the ring makes. */
    @FunctionalInterface
    public interface RotationListener {
        /**
         * Called after a new encrypting key is in place, on the thread that rotated.
         *
         * @param newKey the key that now seals tickets
         */
        void rotated(TicketKey newKey);
    }

    private final Duration rotation;
    private final Duration ticketLifetime;
    private final Clock clock;
    private final SecureRandom random;
    private final RotationListener listener;
    private final Object rotationLock = new Object();

    /** Newest key first; replaced whole, never changed in place. */
    private volatile TicketKey[] keys;

    /**
     * @param rotation       how long a key seals tickets; positive
     * @param ticketLifetime the longest lifetime of a ticket; not negative
     * @param clock          the time source
     * @param random         the source of key bytes and names
     * @param listener       told about every rotation
     */
    public TicketKeyRing(Duration rotation, Duration ticketLifetime, Clock clock, SecureRandom random,
            RotationListener listener) {
        if (rotation.isNegative() || rotation.isZero()) {
            throw new IllegalArgumentException("ticket key rotation must be positive, not " + rotation);
        }
        if (ticketLifetime.isNegative()) {
            throw new IllegalArgumentException("ticket lifetime must not be negative, not " + ticketLifetime);
        }
        this.rotation = rotation;
        this.ticketLifetime = ticketLifetime;
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        this.listener = Objects.requireNonNull(listener);
        this.keys = new TicketKey[] {newKey(clock.instant())};
    }

    /** @return the key that seals tickets now, rotating first if the current one is due */
    public TicketKey encryptionKey() {
        TicketKey current = keys[0];
        Instant now = clock.instant();
        if (current.canEncryptAt(now)) {
            return current;
        }
        synchronized (rotationLock) {
            current = keys[0];
            if (current.canEncryptAt(now)) {
                return current;
            }
            return install(newKey(now), now, true);
        }
    }

    /**
     * Finds the live key whose name a ticket starts with.
     *
     * @param ticket bytes whose {@code offset} starts a 16-byte key name
     * @param offset where the name starts
     * @return the key, or null if no key by that name can open tickets now
     */
    public @Nullable TicketKey decryptionKey(byte[] ticket, int offset) {
        Instant now = clock.instant();
        for (TicketKey key : keys) {
            if (key.hasName(ticket, offset)) {
                return key.canDecryptAt(now) ? key : null;
            }
        }
        return null;
    }

    /**
     * Makes a new encrypting key now; the previous keys keep opening their tickets until they expire.
     *
     * @return the new key
     */
    public TicketKey rotate() {
        synchronized (rotationLock) {
            Instant now = clock.instant();
            return install(newKey(now), now, true);
        }
    }

    /**
     * Drops every key and starts over with a fresh one: every ticket sealed so far stops opening.
     *
     * @return the new key
     */
    public TicketKey retireAll() {
        synchronized (rotationLock) {
            Instant now = clock.instant();
            return install(newKey(now), now, false);
        }
    }

    /** @return the live keys, newest (the encrypting one) first */
    public List<TicketKey> keys() {
        return List.of(keys);
    }

    private TicketKey install(TicketKey fresh, Instant now, boolean keepOld) {
        List<TicketKey> next = new ArrayList<>();
        next.add(fresh);
        if (keepOld) {
            for (TicketKey key : keys) {
                if (key.canDecryptAt(now)) {
                    next.add(key);
                }
            }
        }
        keys = next.toArray(TicketKey[]::new);
        listener.rotated(fresh);
        return fresh;
    }

    private TicketKey newKey(Instant now) {
        byte[] name = new byte[TicketKey.NAME_LENGTH];
        byte[] bytes = new byte[TicketKey.KEY_LENGTH];
        random.nextBytes(name);
        random.nextBytes(bytes);
        Instant encryptUntil = now.plus(rotation);
        TicketKey key = new TicketKey(name, bytes, now, encryptUntil, encryptUntil.plus(ticketLifetime));
        java.util.Arrays.fill(bytes, (byte) 0);
        return key;
    }
}
