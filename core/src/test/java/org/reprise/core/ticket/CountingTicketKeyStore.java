package org.reprise.core.ticket;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A key store in memory that counts every call reaching it, fails every call while {@link #down} is set
 * (as a database that went away does), and may hold rows the ring cannot open, as a shared table holds the
 * keys of nodes with another data key.
 */
final class CountingTicketKeyStore implements TicketKeyStore {

    private final MemoryTicketKeyStore delegate = new MemoryTicketKeyStore();
    private final ConcurrentSkipListMap<Long, UnreadableKey> unreadable = new ConcurrentSkipListMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    volatile boolean down;

    /** @return the calls made so far, failed ones included */
    int calls() {
        return calls.get();
    }

    /** Puts a row that no ring can open at {@code generation}, as a node with another data key would. */
    void addUnreadable(long generation, Instant decryptUntil) {
        unreadable.put(generation, new UnreadableKey(generation, decryptUntil, "0123456789abcdef"));
    }

    /** @return every stored generation, readable or not, lowest first (not counted as a call) */
    List<Long> generations() {
        ConcurrentSkipListMap<Long, Boolean> all = new ConcurrentSkipListMap<>();
        delegate.load().forEach(k -> all.put(k.generation(), true));
        unreadable.keySet().forEach(g -> all.put(g, false));
        return List.copyOf(all.keySet());
    }

    @Override
    public List<TicketKey> load() {
        check();
        return delegate.load();
    }

    @Override
    public Contents contents() {
        check();
        return new Contents(delegate.load(), List.copyOf(unreadable.values()));
    }

    @Override
    public boolean add(TicketKey key) {
        check();
        return !unreadable.containsKey(key.generation()) && delegate.add(key);
    }

    @Override
    public void removeBelow(long generation) {
        check();
        delegate.removeBelow(generation);
        unreadable.headMap(generation).clear();
    }

    private void check() {
        calls.incrementAndGet();
        if (down) {
            throw new IllegalStateException("key store down");
        }
    }
}
