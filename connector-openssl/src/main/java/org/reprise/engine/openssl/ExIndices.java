package org.reprise.engine.openssl;

import java.lang.foreign.MemorySegment;

/**
 * The OpenSSL {@code ex_data} indices Reprise keeps its per-connection and per-session tags under, allocated
 * once per JVM. OpenSSL hands out indices per class of object (SSL, SSL_SESSION) for the whole process and
 * never takes one back, so allocating them per SSL context, as each {@link SessionCallbacks} once did, grew
 * every SSL and SSL_SESSION of the process by three slots per context made (each reload, each certificate).
 *
 * <p>Not mutable static state: the indices are constants, fixed by the class initialisation idiom (the JVM
 * runs the initialiser once, on first use, and publishes its result safely to every thread). Sharing them is
 * safe because a connection belongs to one SSL context for its whole life (Tomcat picks the context by SNI
 * before it makes the SSL, and never switches it), so only that context's callbacks read its slots.
 */
final class ExIndices {

    /** On an SSL_SESSION: who may remove it from the store ({@code MADE_HERE} or the SSL it was looked up for). */
    static final int SESSION_TAG;
    /** On an SSL: the connection's flags. */
    static final int SSL_FLAGS;
    /** On an SSL: the fingerprint of the session ID its first ClientHello's lookup found. */
    static final int SSL_FOUND_ID;

    static {
        try {
            SESSION_TAG = allocate(NativeSsl.CRYPTO_EX_INDEX_SSL_SESSION);
            SSL_FLAGS = allocate(NativeSsl.CRYPTO_EX_INDEX_SSL);
            SSL_FOUND_ID = allocate(NativeSsl.CRYPTO_EX_INDEX_SSL);
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ExIndices() {
    }

    /** @return a new index for objects of {@code kind}, with no callbacks (the values are tags, not pointers) */
    static int allocate(int kind) throws Throwable {
        int index = (int) NativeSsl.CRYPTO_get_ex_new_index.invokeExact(kind, 0L, MemorySegment.NULL,
                MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL);
        if (index < 0) {
            throw new IllegalStateException("OpenSSL has no ex_data index left");
        }
        return index;
    }
}
