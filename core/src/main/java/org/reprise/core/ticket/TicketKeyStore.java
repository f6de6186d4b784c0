package org.reprise.core.ticket;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where a {@link TicketKeyRing} keeps its keys. The in-memory store serves one JVM; a shared store (a
 * database) lets every node of a cluster seal and open tickets with the same keys.
 *
 * <p>Contract: at most one key per {@link TicketKey#generation() generation} exists, and
 * {@link #add} is the only way to claim a generation. That is what lets rotation work without a
 * leader: every node that finds the current key due tries to add the next generation, exactly one
 * succeeds, and the others load the winner's key. A store may hold rows this node cannot open (a shared
 * store whose rows are encrypted under keys this node lacks); {@link #contents()} reports them, so that the
 * ring never tries to claim a generation they hold. Implementations are thread-safe and may throw an
 * unchecked exception when the backing store is unreachable; the ring then carries on with the keys it
 * already has. Only the ring's {@link TicketKeyRing#refresh() refresh}, {@link TicketKeyRing#rotate()
 * rotate} and {@link TicketKeyRing#retireAll() retireAll} call a store, never a handshake.
 */
public interface TicketKeyStore {

    /**
     * A stored key this node cannot open: what may be known of it without its bytes.
     *
     * @param generation   the generation it holds
     * @param decryptUntil when it stops opening tickets
     * @param keyId        what sealed it, as the store names it (the JDBC store: the data key ID); may be shown
     */
    record UnreadableKey(long generation, Instant decryptUntil, String keyId) {
        /** Checks the fields. */
        public UnreadableKey {
            Objects.requireNonNull(decryptUntil, "decryptUntil");
            Objects.requireNonNull(keyId, "keyId");
        }
    }

    /**
     * Everything a store holds, read at once.
     *
     * @param keys       the keys this node can use, in any order
     * @param unreadable the stored keys it cannot open, in any order
     */
    record Contents(List<TicketKey> keys, List<UnreadableKey> unreadable) {
        /** Copies the lists. */
        public Contents {
            keys = List.copyOf(keys);
            unreadable = List.copyOf(unreadable);
        }

        /** @return the highest generation any stored key holds, readable or not; 0 when there is none */
        public long highestGeneration() {
            long highest = 0;
            for (TicketKey key : keys) {
                highest = Math.max(highest, key.generation());
            }
            for (UnreadableKey key : unreadable) {
                highest = Math.max(highest, key.generation());
            }
            return highest;
        }
    }

    /** @return every stored key this node can use, in any order */
    List<TicketKey> load();

    /**
     * Reads every stored key, with those this node cannot open. The default is {@link #load()} with none
     * unreadable, which is right for a store whose keys every reader can open.
     *
     * @return the keys and the unreadable rows, read at once
     */
    default Contents contents() {
        return new Contents(load(), List.of());
    }

    /**
     * Adds a key unless its generation is taken.
     *
     * @param key the new key
     * @return whether it was added; false if another key already holds that generation
     */
    boolean add(TicketKey key);

    /**
     * Deletes every key whose generation is below {@code generation}, readable here or not. Used to retire
     * all keys (the ring adds a fresh key above every stored generation first, then drops everything older)
     * and to drop expired keys (below the oldest generation that still opens tickets).
     *
     * @param generation the oldest generation to keep
     */
    void removeBelow(long generation);
}
