package org.reprise.engine.openssl;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Native scratch memory for the engine's calls into libssl: one TLS record of plaintext plus a few out
 * parameters, taken for the length of one engine call and given back. Made with OpenSSL's allocator and freed
 * explicitly, so a connection costs no arena (closing a shared or automatic arena makes the JVM stop every
 * thread). At most {@code capacity} idle buffers are kept; a buffer given back to a full pool is freed.
 */
final class ScratchBuffers {

    /** The largest TLS plaintext record (RFC 8446 5.1), the most one {@code SSL_read} or {@code SSL_write} moves. */
    static final int RECORD = 16384;
    /** Room after the record for the out parameters of one call (pointers and lengths). */
    static final int SLOTS = 64;
    private static final long SIZE = RECORD + SLOTS;

    private final ConcurrentLinkedDeque<MemorySegment> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final int capacity;
    private volatile boolean closed;

    /** @param capacity how many idle buffers to keep at most */
    ScratchBuffers(int capacity) {
        this.capacity = capacity;
    }

    /** @return a buffer of {@link #RECORD} + {@link #SLOTS} bytes, to be given back with {@link #release} */
    MemorySegment take() {
        MemorySegment buffer = idle.pollFirst();
        if (buffer != null) {
            idleCount.decrementAndGet();
            return buffer;
        }
        try {
            MemorySegment made = (MemorySegment) NativeSsl.CRYPTO_malloc.invokeExact(SIZE, MemorySegment.NULL, 0);
            if (made.equals(MemorySegment.NULL)) {
                throw new OutOfMemoryError("OpenSSL could not allocate " + SIZE + " bytes");
            }
            return made.reinterpret(SIZE);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    void release(MemorySegment buffer) {
        if (!closed && idleCount.incrementAndGet() <= capacity) {
            idle.offerFirst(buffer);
            if (closed) {
                close();
            }
            return;
        }
        if (!closed) {
            idleCount.decrementAndGet();
        }
        free(buffer);
    }

    /** Frees every idle buffer; buffers still taken are freed when given back. */
    void close() {
        closed = true;
        for (MemorySegment buffer; (buffer = idle.pollFirst()) != null; ) {
            idleCount.decrementAndGet();
            free(buffer);
        }
    }

    private static void free(MemorySegment buffer) {
        try {
            NativeSsl.CRYPTO_free.invokeExact(buffer, MemorySegment.NULL, 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
