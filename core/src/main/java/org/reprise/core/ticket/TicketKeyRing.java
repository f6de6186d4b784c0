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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The session ticket keys of one connector, or of a whole cluster when its {@link TicketKeyStore} is
 * shared: one key seals new tickets, older keys only open tickets until they expire, and the ring's owner
 * keeps it current by calling {@link #refresh()} every few seconds (a connector does, every 2 s).
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>No I/O on the handshake.</b> {@link #encryptionKey()}, {@link #decryptionKey} and {@link #keys()}
 *       never call the store, never wait for a thread that does, and allocate nothing. Only
 *       {@link #refresh()}, {@link #rotate()} and {@link #retireAll()} call the store.</li>
 *   <li><b>Rotation ahead of time.</b> {@link #refresh()} stores the next key once less than a quarter of the
 *       encrypting key's period ({@code rotation}) is left; the next key starts sealing exactly when the
 *       current one stops ({@link TicketKey#created()} is then in the future), so every node sharing the
 *       store has loaded it long before any node seals with it, and a handshake switches keys by reading
 *       the time.</li>
 *   <li><b>Never without a key.</b> Past the newest key's encrypting period (the store was unreachable when
 *       it was due) the ring keeps sealing with it while it still opens tickets, which every node sharing
 *       the store can do; such tickets stop opening when the key expires, a little before their own
 *       lifetime ends. Only when no key can open tickets any more (the ring was never loaded, or the store
 *       has been away for a key's whole lifetime) does {@link #encryptionKey()} make a key of this node's
 *       own, in memory: generation 0, never stored, sealing until a stored key is loaded and opening this
 *       node's tickets until it expires.</li>
 *   <li><b>Back-off.</b> After a failed refresh the following ones return at once, without a store call,
 *       until a pause has passed: 1 s after the first failure, doubling with each failure in a row up to 1
 *       minute. Time comes from the ring's {@link Clock}. {@link #rotate()} and {@link #retireAll()}, which
 *       an administrator asks for, always try the store.</li>
 *   <li><b>Leaderless, and blind to no row.</b> Keys are numbered by generation; the store admits one key per
 *       generation, and a new key takes the generation above the highest stored one, counting rows this node
 *       cannot open ({@link TicketKeyStore#contents()}). So rings sharing the store and a data key converge on
 *       the same key whatever other rows are there, and a row this node cannot open never blocks a
 *       rotation.</li>
 *   <li><b>Retire means new.</b> {@link #retireAll()} returns a key it has just stored, above every stored
 *       generation, never one that existed before.</li>
 *   <li><b>Thread-safe.</b> Reading keys takes no lock. Refresh, rotate and retire take one lock among
 *       themselves, held during their store calls; a handshake never takes it. {@link #encryptionKey()} takes
 *       a second, short lock only to make a key of this node's own (above), never held during I/O.</li>
 * </ul>
 */
public final class TicketKeyRing {

    /** Hears about each key this ring makes. */
    @FunctionalInterface
    public interface RotationListener {
        /**
         * Called after this ring stored a new key to seal tickets, now or (made ahead of time) when the
         * current one's period ends; on the thread that rotated. Not called for the very first key, for keys
         * adopted from other nodes, nor for a key of this node's own made while the store was unreachable.
         *
         * @param newKey the key that seals tickets now or next
         */
        void rotated(TicketKey newKey);
    }

    /**
     * Hears about keys that leave the ring, for whoever keeps material derived from them (the OpenSSL engine
     * keeps an AES and an HMAC key per ring key) and must destroy it with the key.
     */
    @FunctionalInterface
    public interface RemovalListener {
        /**
         * Called after keys left the ring: retired by {@link #retireAll()}, expired, or gone from a shared
         * store because another ring retired them. Called on the thread that changed the ring: be quick, and
         * do not call {@link #rotate()}, {@link #refresh()} or {@link #retireAll()}.
         *
         * @param removed the keys that left, never empty
         */
        void removed(List<TicketKey> removed);
    }

    /** The generation of a key this node made for itself while its store was unreachable; never stored. */
    public static final long LOCAL_GENERATION = 0;

    private static final TicketKey[] NONE = new TicketKey[0];
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(1);
    /** Claims lost in a row (to other nodes, or to rows this node cannot open) before a call gives up. */
    private static final int CLAIM_ATTEMPTS = 5;

    /**
     * What readers see, replaced whole: the stored keys newest generation first, this node's own keys
     * newest first, both together in that order, and the stored keys this node cannot open.
     */
    private record State(TicketKey[] stored, TicketKey[] local, TicketKey[] all,
            List<TicketKeyStore.UnreadableKey> unreadable) {
        static State of(TicketKey[] stored, TicketKey[] local, List<TicketKeyStore.UnreadableKey> unreadable) {
            TicketKey[] all = Arrays.copyOf(stored, stored.length + local.length);
            System.arraycopy(local, 0, all, stored.length, local.length);
            return new State(stored, local, all, List.copyOf(unreadable));
        }
    }

    private final Duration rotation;
    private final Duration rotateAhead;
    private final Duration ticketLifetime;
    private final Clock clock;
    private final SecureRandom random;
    private final RotationListener listener;
    private final TicketKeyStore store;
    /** Held by refresh, rotate and retire, including during their store calls; never by a handshake. */
    private final Object storeLock = new Object();
    /** Held only to make a key of this node's own; never during I/O. */
    private final Object localLock = new Object();
    private final AtomicReference<State> state =
            new AtomicReference<>(State.of(NONE, NONE, List.of()));
    private final List<RemovalListener> removalListeners = new CopyOnWriteArrayList<>();

    /** Failed refreshes in a row; guarded by {@link #storeLock}. */
    private int failures;
    /** Before this time refresh leaves the store alone; guarded by {@link #storeLock}. */
    private @Nullable Instant retryAt;

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
     * A ring whose keys live in {@code store}, shared with every ring that uses the same store. Makes no
     * store call: the first {@link #refresh()} loads the keys.
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
        this.rotateAhead = rotation.dividedBy(4);
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

    /**
     * The key that seals tickets now: the newest key whose period has begun and that still opens tickets
     * (past its encrypting period when the store could not be reached to rotate). Never calls the store and
     * never waits for it.
     *
     * @return the key; a key of this node's own, made now, when the ring holds none that opens tickets
     */
    public TicketKey encryptionKey() {
        TicketKey key = usable(state.get().all, clock.instant());
        return key != null ? key : localKey();
    }

    /**
     * Finds the live key whose name a ticket starts with. Never calls the store.
     *
     * @param ticket bytes whose {@code offset} starts a 16-byte key name
     * @param offset where the name starts
     * @return the key, or null if no key by that name can open tickets now
     */
    public @Nullable TicketKey decryptionKey(byte[] ticket, int offset) {
        Instant now = clock.instant();
        for (TicketKey key : state.get().all) {
            if (key.hasName(ticket, offset)) {
                return key.canDecryptAt(now) ? key : null;
            }
        }
        return null;
    }

    /**
     * Loads the keys the store holds (other rings' included), drops expired ones from the ring and the store,
     * and stores the next key ahead of time when less than a quarter of the encrypting key's period is left.
     * After a failure, calls within the back-off pause return false at once without touching the store.
     *
     * @return true if the store was read; false if the call was skipped because the store failed recently
     * @throws RuntimeException if the store cannot be read or written; the ring keeps the keys it has
     */
    public boolean refresh() {
        synchronized (storeLock) {
            Instant now = clock.instant();
            if (retryAt != null && now.isBefore(retryAt)) {
                return false;
            }
            try {
                TicketKeyStore.Contents contents = reloadLocked(now);
                TicketKey newest = newestStored();
                if (newest == null || !now.isBefore(newest.encryptUntil().minus(rotateAhead))) {
                    // Made ahead, the next key starts when the current one stops, so that every node has it
                    // by then; once the current key is overdue, at once
                    Instant starts = newest == null || newest.encryptUntil().isBefore(now) ? now : newest.encryptUntil();
                    claimLocked(contents, now, starts, newest != null, true);
                }
                succeededLocked();
                return true;
            } catch (RuntimeException e) {
                failures++;
                Duration pause = FIRST_RETRY.multipliedBy(1L << Math.min(failures - 1, 16));
                retryAt = now.plus(pause.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause);
                throw e;
            }
        }
    }

    /**
     * Stores a new key that seals tickets from now on, above every stored generation; the previous keys keep
     * opening their tickets until they expire.
     *
     * @return the new key
     * @throws RuntimeException if the store cannot be reached
     */
    public TicketKey rotate() {
        synchronized (storeLock) {
            Instant now = clock.instant();
            TicketKey fresh = claimLocked(reloadLocked(now), now, now, true, false);
            succeededLocked();
            return fresh;
        }
    }

    /**
     * Stores a fresh key above every stored generation (rows this node cannot open included), then deletes
     * every older key from the store and the ring, this node's own included: every ticket sealed so far stops
     * opening, on every node sharing the store once it has refreshed.
     *
     * @return the new key, which did not exist before the call
     * @throws RuntimeException if the store cannot be reached; then nothing was retired
     */
    public TicketKey retireAll() {
        synchronized (storeLock) {
            Instant now = clock.instant();
            TicketKey fresh = claimLocked(reloadLocked(now), now, now, true, false);
            store.removeBelow(fresh.generation());
            publish(s -> State.of(new TicketKey[] {fresh}, NONE, List.of()));
            succeededLocked();
            return fresh;
        }
    }

    /**
     * Tells {@code listener} about every key that leaves the ring from now on.
     *
     * @param listener the listener; remove it with {@link #removeRemovalListener} when it goes away
     */
    public void addRemovalListener(RemovalListener listener) {
        removalListeners.add(Objects.requireNonNull(listener));
    }

    /** @param listener a listener added before; it hears nothing more */
    public void removeRemovalListener(RemovalListener listener) {
        removalListeners.remove(listener);
    }

    /** @return the live keys: the stored ones newest generation first, then this node's own, newest first */
    public List<TicketKey> keys() {
        return List.of(state.get().all);
    }

    /**
     * @return the live stored keys this node cannot open, as of the last successful store read; a node that
     *         lists any lacks a key the others use
     */
    public List<TicketKeyStore.UnreadableKey> unreadableKeys() {
        return state.get().unreadable;
    }

    /** The newest started key that opens tickets, else the oldest one not started yet, else null. */
    private static @Nullable TicketKey usable(TicketKey[] keys, Instant now) {
        TicketKey notStarted = null;
        for (TicketKey key : keys) {
            if (key.canDecryptAt(now)) {
                if (!key.created().isAfter(now)) {
                    return key;
                }
                // a key made ahead of time (or by a node whose clock runs ahead): better than none
                notStarted = key;
            }
        }
        return notStarted;
    }

    private TicketKey localKey() {
        synchronized (localLock) {
            Instant now = clock.instant();
            TicketKey usable = usable(state.get().all, now);
            if (usable != null) {
                return usable;
            }
            TicketKey local = newKey(LOCAL_GENERATION, now);
            publish(s -> {
                List<TicketKey> locals = new ArrayList<>();
                locals.add(local);
                locals.addAll(live(s.local, now));
                return State.of(s.stored, locals.toArray(NONE), s.unreadable);
            });
            return local;
        }
    }

    /**
     * Reads the store, installs its live keys, and deletes the rows below the oldest live generation, which
     * have all expired (rows this node cannot open count by their own expiry, so none still in use is lost).
     */
    private TicketKeyStore.Contents reloadLocked(Instant now) {
        TicketKeyStore.Contents contents = store.contents();
        List<TicketKey> live = live(contents.keys().toArray(NONE), now);
        live.sort(Comparator.comparingLong(TicketKey::generation).reversed());
        List<TicketKeyStore.UnreadableKey> unreadable = contents.unreadable().stream()
                .filter(u -> now.isBefore(u.decryptUntil())).toList();
        long oldestLive = Long.MAX_VALUE;
        for (TicketKey key : live) {
            oldestLive = Math.min(oldestLive, key.generation());
        }
        for (TicketKeyStore.UnreadableKey key : unreadable) {
            oldestLive = Math.min(oldestLive, key.generation());
        }
        install(live, unreadable, now);
        long lowestStored = Long.MAX_VALUE;
        for (TicketKey key : contents.keys()) {
            lowestStored = Math.min(lowestStored, key.generation());
        }
        for (TicketKeyStore.UnreadableKey key : contents.unreadable()) {
            lowestStored = Math.min(lowestStored, key.generation());
        }
        if (lowestStored != Long.MAX_VALUE && lowestStored < oldestLive) {
            // every row below is expired; with none live at all, that is every row
            store.removeBelow(oldestLive == Long.MAX_VALUE ? contents.highestGeneration() + 1 : oldestLive);
        }
        return contents;
    }

    /**
     * Stores a new key at the generation above every stored one, starting at {@code starts}. When another
     * ring (or a row this node cannot open) takes that generation first, reads the store again and either
     * adopts the winner's key ({@code adopt}, if it is readable here and not due itself) or tries the next
     * generation.
     */
    private TicketKey claimLocked(TicketKeyStore.Contents contents, Instant now, Instant starts, boolean isRotation,
            boolean adopt) {
        TicketKeyStore.Contents seen = contents;
        // A lost generation counts as taken even when the store does not report the row that took it (a
        // store without unreadable rows in its contents): the next attempt goes above it
        long taken = LOCAL_GENERATION;
        long first = 0;
        for (int attempt = 1; ; attempt++) {
            long generation = Math.max(seen.highestGeneration(), taken) + 1;
            if (attempt == 1) {
                first = generation;
            }
            TicketKey next = newKey(generation, starts);
            if (store.add(next)) {
                List<TicketKey> stored = new ArrayList<>(List.of(state.get().stored));
                stored.add(0, next);
                install(stored, state.get().unreadable, now);
                if (isRotation) {
                    listener.rotated(next);
                }
                return next;
            }
            taken = generation;
            seen = reloadLocked(now);
            TicketKey winner = newestStored();
            if (adopt && winner != null && winner.generation() >= generation
                    && now.isBefore(winner.encryptUntil().minus(rotateAhead))) {
                return winner;
            }
            if (attempt == CLAIM_ATTEMPTS) {
                throw new IllegalStateException("Reprise could not store a new ticket key: generations "
                        + first + " to " + generation + " were taken by others first");
            }
        }
    }

    /** Replaces what readers see and tells the removal listeners which keys the new state lacks. */
    private void publish(UnaryOperator<State> change) {
        State previous = state.getAndUpdate(change);
        if (removalListeners.isEmpty()) {
            return;
        }
        TicketKey[] next = state.get().all;
        List<TicketKey> removed = new ArrayList<>();
        for (TicketKey old : previous.all) {
            boolean kept = false;
            for (TicketKey key : next) {
                kept |= key.sameKey(old);
            }
            if (!kept) {
                removed.add(old);
            }
        }
        if (removed.isEmpty()) {
            return;
        }
        List<TicketKey> gone = List.copyOf(removed);
        for (RemovalListener l : removalListeners) {
            try {
                l.removed(gone);
            } catch (RuntimeException e) {
                // a listener's failure must not stop the ring from rotating
            }
        }
    }

    /** Publishes new stored keys, keeping this node's own keys that still open tickets. */
    private void install(List<TicketKey> stored, List<TicketKeyStore.UnreadableKey> unreadable, Instant now) {
        TicketKey[] storedArray = stored.toArray(NONE);
        publish(s -> State.of(storedArray, live(s.local, now).toArray(NONE), unreadable));
    }

    private void succeededLocked() {
        failures = 0;
        retryAt = null;
    }

    private @Nullable TicketKey newestStored() {
        TicketKey[] stored = state.get().stored;
        return stored.length == 0 ? null : stored[0];
    }

    private static List<TicketKey> live(TicketKey[] keys, Instant now) {
        List<TicketKey> live = new ArrayList<>(keys.length);
        for (TicketKey key : keys) {
            if (key.canDecryptAt(now)) {
                live.add(key);
            }
        }
        return live;
    }

    private TicketKey newKey(long generation, Instant starts) {
        byte[] name = new byte[TicketKey.NAME_LENGTH];
        byte[] bytes = new byte[TicketKey.KEY_LENGTH];
        random.nextBytes(name);
        random.nextBytes(bytes);
        Instant encryptUntil = starts.plus(rotation);
        TicketKey key = new TicketKey(generation, name, bytes, starts, encryptUntil, encryptUntil.plus(ticketLifetime));
        Arrays.fill(bytes, (byte) 0);
        return key;
    }
}
