package org.reprise.core.ticket;

import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/** Ticket keys in this JVM's memory only: the default, for a single node. Thread-safe. */
final class MemoryTicketKeyStore implements TicketKeyStore {

    private final ConcurrentSkipListMap<Long, TicketKey> keys = new ConcurrentSkipListMap<>();

    /** An empty store. */
    MemoryTicketKeyStore() {
    }

    @Override
    public List<TicketKey> load() {
        return List.copyOf(keys.values());
    }

    @Override
    public boolean add(TicketKey key) {
        return keys.putIfAbsent(key.generation(), key) == null;
    }

    @Override
    public void removeBelow(long generation) {
        keys.headMap(generation).clear();
    }
}
