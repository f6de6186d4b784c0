package org.reprise.core.ticket;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The session ticket keys of one connector, or of a whole cluster when its {@link TicketKeyStore} is
 * shared: exactly one key seals new tickets, older keys only open tickets until they expire, and rotation
 * happens by itself.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>The ring always has an encrypting key: when the newest key's {@code encryptUntil} passes, the
 *       next call to {@link #encryptionKey()} makes (or, from a shared store, adopts) the next one.</li>
 *   <li>A key opens tickets for {@code rotation + ticketLifetime} after it was made, so a ticket sealed at
 *       the last moment of a key's encrypting period still opens for its whole lifetime.</li>
 *   <li>Rotation needs no leader: keys are numbered by generation, the store admits one key per
 *       generation, and every node encrypts with the newest generation it knows. {@link #refresh()}
 *       (called every few seconds by whoever owns the ring) picks up keys other nodes added.</li>
 *   <li>A store that fails never leaves the ring without a key: past the newest key's encrypting period it
 *       keeps sealing with that key, which every node sharing the store can open (tickets sealed then stop
 *       opening when the key expires, a little before their own lifetime ends), and once the key can no
 *       longer open tickets it makes a key of its own until the store answers again.</li>
 *   <li>Thread-safe. Reading keys takes no lock and allocates nothing; rotation and refresh lock.</li>
 * </ul>
 */
public final class TicketKeyRing {

    /** Hears about each key this ring makes. */
    @FunctionalInterface
    public interface RotationListener {
        /**
         * Called after this ring made a new encrypting key, on the thread that rotated. Not called for the
         * very first key, nor for keys adopted from other nodes.
         *
         * @param newKey the key that now seals tickets
         */
        void rotated(TicketKey newKey);
    }

    private static final TicketKey[] NONE = new TicketKey[0];

    private final Duration rotation;
    private final Duration ticketLifetime;
    private final Clock clock;
    private final SecureRandom random;
    private final RotationListener listener;
    private final TicketKeyStore store;
    private final Object lock = new Object();

    /** Live keys, newest generation first; replaced whole, never changed in place. */
    private volatile TicketKey[] keys = NONE;

    /**
     * A ring whose keys live in this JVM only.
     *
     * @param rotation       how long a key seals tickets; positive
     * @param ticketLifetime the longest lifetime of a ticket; not negative
     * @param clock          the time source
     * @param random         the source of key bytes and names
     * @param listener       told about every rotation
     */
    public TicketKeyRing(Duration rotation, Duration ticketLifetime, Clock clock, SecureRandom random,
            RotationListener listener) {
        this(rotation, ticketLifetime, clock, random, listener, new MemoryTicketKeyStore());
    }

    /**
     * A ring whose keys live in {@code store}, shared with every ring that uses the same store.
     *
     * @param rotation       how long a key seals tickets; positive
     * @param ticketLifetime the longest lifetime of a ticket; not negative
     * @param clock          the time source
     * @param random         the source of key bytes and names
     * @param listener       told about every rotation
     * @param store          where the keys live
     */
    public TicketKeyRing(Duration rotation, Duration ticketLifetime, Clock clock, SecureRandom random,
            RotationListener listener, TicketKeyStore store) {
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
        this.store = Objects.requireNonNull(store);
    }

    /** @return how long each key seals tickets */
    public Duration rotation() {
        return rotation;
    }

    /** @return the key that seals tickets now, rotating first if the newest one is due */
    public TicketKey encryptionKey() {
        TicketKey[] current = keys;
        if (current.length > 0 && current[0].canEncryptAt(clock.instant())) {
            return current[0];
        }
        synchronized (lock) {
            return currentLocked(clock.instant());
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
     * Loads the keys other rings sharing the store have added, drops expired ones, and rotates if the
     * newest key is due.
     *
     * @throws RuntimeException if the store cannot be read; the ring keeps the keys it has
     */
    public void refresh() {
        synchronized (lock) {
            Instant now = clock.instant();
            reloadLocked(now);
            currentLocked(now);
        }
    }

    /**
     * Makes a new encrypting key now; the previous keys keep opening their tickets until they expire.
     *
     * @return the new key
     * @throws RuntimeException if the store cannot be reached
     */
    public TicketKey rotate() {
        synchronized (lock) {
            Instant now = clock.instant();
            reloadLocked(now);
            return addNextLocked(now, true);
        }
    }

    /**
     * Drops every key and starts over with a fresh one: every ticket sealed so far stops opening, on every
     * node sharing the store once it has refreshed.
     *
     * @return the new key
     * @throws RuntimeException if the store cannot be reached
     */
    public TicketKey retireAll() {
        synchronized (lock) {
            Instant now = clock.instant();
            reloadLocked(now);
            TicketKey fresh = addNextLocked(now, true);
            store.removeBelow(fresh.generation());
            keys = new TicketKey[] {fresh};
            return fresh;
        }
    }

    /** @return the live keys, newest (the encrypting one) first */
    public List<TicketKey> keys() {
        return List.of(keys);
    }

    private TicketKey currentLocked(Instant now) {
        TicketKey newest = newest();
        if (newest != null && newest.canEncryptAt(now)) {
            return newest;
        }
        try {
            reloadLocked(now);
            newest = newest();
            if (newest != null && newest.canEncryptAt(now)) {
                return newest;
            }
            return addNextLocked(now, newest != null);
        } catch (RuntimeException storeUnavailable) {
            if (newest != null && newest.canDecryptAt(now)) {
                return newest;
            }
            TicketKey local = newKey(now, newest == null ? 1 : newest.generation() + 1);
            install(local, now);
            return local;
        }
    }

    /** Claims the next generation; if another ring claimed it first, adopts that ring's key. */
    private TicketKey addNextLocked(Instant now, boolean isRotation) {
        TicketKey newest = newest();
        TicketKey next = newKey(now, newest == null ? 1 : newest.generation() + 1);
        if (store.add(next)) {
            install(next, now);
            if (isRotation) {
                listener.rotated(next);
            }
            return next;
        }
        reloadLocked(now);
        TicketKey adopted = newest();
        return adopted != null ? adopted : next;
    }

    private void reloadLocked(Instant now) {
        List<TicketKey> live = new ArrayList<>();
        long oldestLive = Long.MAX_VALUE;
        boolean anyExpired = false;
        for (TicketKey key : store.load()) {
            if (key.canDecryptAt(now)) {
                live.add(key);
                oldestLive = Math.min(oldestLive, key.generation());
            } else {
                anyExpired = true;
            }
        }
        live.sort(Comparator.comparingLong(TicketKey::generation).reversed());
        keys = live.toArray(NONE);
        if (anyExpired && oldestLive != Long.MAX_VALUE) {
            store.removeBelow(oldestLive);
        }
    }

    private void install(TicketKey fresh, Instant now) {
        List<TicketKey> next = new ArrayList<>();
        next.add(fresh);
        for (TicketKey key : keys) {
            if (key.canDecryptAt(now) && key.generation() != fresh.generation()) {
                next.add(key);
            }
        }
        keys = next.toArray(NONE);
    }

    private @Nullable TicketKey newest() {
        TicketKey[] current = keys;
        return current.length == 0 ? null : current[0];
    }

    private TicketKey newKey(Instant now, long generation) {
        byte[] name = new byte[TicketKey.NAME_LENGTH];
        byte[] bytes = new byte[TicketKey.KEY_LENGTH];
        random.nextBytes(name);
        random.nextBytes(bytes);
        Instant encryptUntil = now.plus(rotation);
        TicketKey key = new TicketKey(generation, name, bytes, now, encryptUntil, encryptUntil.plus(ticketLifetime));
        Arrays.fill(bytes, (byte) 0);
        return key;
    }
}
