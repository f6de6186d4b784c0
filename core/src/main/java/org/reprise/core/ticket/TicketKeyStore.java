package org.reprise.core.ticket;

import java.util.List;

/**
 * Where a {@link TicketKeyRing} keeps its keys. The in-memory store serves one JVM; a shared store (a
 * database) lets every node of a cluster seal and open tickets with the same keys.
 *
 * <p>Contract: at most one key per {@link TicketKey#generation() generation} exists, and
 * {@link #add} is the only way to claim a generation. That is what lets rotation work without a
 * leader: every node that finds the current key due tries to add the next generation, exactly one
 * succeeds, and the others load the winner's key. Implementations are thread-safe and may throw an
 * unchecked exception when the backing store is unreachable; the ring then carries on with the keys
 * it already has.
 */
public interface TicketKeyStore {

    /** @return every stored key, in any order */
    List<TicketKey> load();

    /**
     * Adds a key unless its generation is taken.
     *
     * @param key the new key
     * @return whether it was added; false if another key already holds that generation
     */
    boolean add(TicketKey key);

    /**
     * Deletes every key whose generation is below {@code generation}. Used to retire all keys: the ring
     * adds a fresh key first, then drops everything older.
     *
     * @param generation the oldest generation to keep
     */
    void removeBelow(long generation);
}
