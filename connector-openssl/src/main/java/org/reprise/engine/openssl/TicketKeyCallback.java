package org.reprise.engine.openssl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.reprise.core.ticket.TicketKey;
import org.reprise.core.ticket.TicketKeyRing;

/**
 * OpenSSL's ticket key callback ({@code SSL_CTX_set_tlsext_ticket_key_evp_cb}) over Reprise's key ring:
 * tickets are sealed with the ring's encrypting key and opened with any live key, by name, so every node
 * sharing the ring opens every node's tickets, and a ticket opened with an older key is renewed.
 *
 * <p>OpenSSL's ticket format is AES-256-CBC then HMAC-SHA256 over the whole ticket (RFC 5077's
 * recommended construction). Both keys are derived from the ring key with HKDF-Expand (SHA-256) under
 * labels of their own, so the ring's AES-256-GCM key is never used for another cipher as is. Derived keys
 * are cached per ring key, and live exactly as long as it: they are zeroed when the ring drops their key
 * (retired, expired, or gone from the shared store), when the cache needs room, and when this callback's SSL
 * context is destroyed. Nothing here is logged.
 */
final class TicketKeyCallback {

    private static final byte[] AES_LABEL = "reprise openssl ticket aes-256-cbc".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HMAC_LABEL = "reprise openssl ticket hmac-sha256".getBytes(StandardCharsets.US_ASCII);
    private static final int DERIVED_CACHE_LIMIT = 16;
    private static final int KEY_LENGTH = 32;

    private final TicketKeyRingSource ring;
    private final SecureRandom random;
    private final Map<Long, Derived> derived = new ConcurrentHashMap<>();
    private final TicketKeyRing.RemovalListener onRemoval = this::forget;
    private final Object watchLock = new Object();
    /** The ring whose removals this callback hears; guarded by {@link #watchLock}, read without it. */
    private volatile @Nullable TicketKeyRing watched;
    private volatile boolean closed;

    /** Supplies the connector's ring, which exists only from the first connection on. */
    @FunctionalInterface
    interface TicketKeyRingSource {
        TicketKeyRing ring();
    }

    /**
     * The AES and HMAC keys derived from one ring key. Once destroyed (zeroed) they are never handed out
     * again: a handshake thread that still holds this object gets nothing from {@link #copyTo}, rather than a
     * zeroed key to seal or open tickets with.
     */
    static final class Derived {
        private final long generation;
        private final byte[] name;
        private final byte[] aes;
        private final byte[] hmac;
        private boolean destroyed;

        private Derived(TicketKey key, byte[] aes, byte[] hmac) {
            this.generation = key.generation();
            this.name = key.name();
            this.aes = aes;
            this.hmac = hmac;
        }

        boolean isFor(TicketKey key) {
            return generation == key.generation() && Arrays.equals(name, key.name());
        }

        /** @return false, copying nothing, once the keys are destroyed */
        synchronized boolean copyTo(MemorySegment aesOut, MemorySegment hmacOut) {
            if (destroyed) {
                return false;
            }
            MemorySegment.copy(aes, 0, aesOut, JAVA_BYTE, 0, KEY_LENGTH);
            MemorySegment.copy(hmac, 0, hmacOut, JAVA_BYTE, 0, KEY_LENGTH);
            return true;
        }

        synchronized void destroy() {
            destroyed = true;
            Arrays.fill(aes, (byte) 0);
            Arrays.fill(hmac, (byte) 0);
        }
    }

    TicketKeyCallback(TicketKeyRingSource ring, SecureRandom random) {
        this.ring = ring;
        this.random = random;
    }

    /**
     * {@code int cb(SSL *s, unsigned char key_name[16], unsigned char iv[16], EVP_CIPHER_CTX *ctx,
     * EVP_MAC_CTX *hctx, int enc)}: 1 = use the key, 2 = opened with an older key (renew the ticket),
     * 0 = no key: the ticket is not opened (a full handshake) or none is issued (TLS 1.2: an empty ticket).
     *
     * <p>Never -1, not even on an internal error: OpenSSL makes -1 fatal to the connection (tls_decrypt_ticket
     * turns it into SSL_TICKET_FATAL_ERR_OTHER and an internal_error alert, construct_stateless_ticket into
     * SSLfatal), where Reprise promises a full handshake.
     */
    int apply(MemorySegment ssl, MemorySegment keyName, MemorySegment iv, MemorySegment cipherCtx,
            MemorySegment macCtx, int enc) {
        try {
            if (closed) {
                return 0;
            }
            MemorySegment name = keyName.reinterpret(NativeSsl.TICKET_KEY_NAME_LENGTH);
            MemorySegment ivBytes = iv.reinterpret(NativeSsl.TICKET_IV_LENGTH);
            TicketKeyRing keys = ring.ring();
            if (enc == 1) {
                // twice at most: the key may leave the ring (and its derived keys be zeroed) between the two
                // calls; the ring then has a newer one
                for (int attempt = 0; attempt < 2; attempt++) {
                    TicketKey key = keys.encryptionKey();
                    MemorySegment.copy(key.name(), 0, name, JAVA_BYTE, 0, NativeSsl.TICKET_KEY_NAME_LENGTH);
                    byte[] freshIv = new byte[NativeSsl.TICKET_IV_LENGTH];
                    random.nextBytes(freshIv);
                    MemorySegment.copy(freshIv, 0, ivBytes, JAVA_BYTE, 0, freshIv.length);
                    if (init(derive(keys, key), cipherCtx, macCtx, ivBytes, true)) {
                        return 1;
                    }
                }
                return 0;
            }
            TicketKey key = keys.decryptionKey(name.toArray(JAVA_BYTE), 0);
            if (key == null) {
                return 0;
            }
            if (!init(derive(keys, key), cipherCtx, macCtx, ivBytes, false)) {
                return 0;
            }
            return key.generation() == keys.encryptionKey().generation() ? 1 : 2;
        } catch (Throwable e) {
            return 0;
        }
    }

    private boolean init(Derived keys, MemorySegment cipherCtx, MemorySegment macCtx, MemorySegment iv, boolean encrypt)
            throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment aes = arena.allocate(KEY_LENGTH);
            MemorySegment hmac = arena.allocate(KEY_LENGTH);
            try {
                if (!keys.copyTo(aes, hmac)) {
                    return false;
                }
                MemorySegment cipher = (MemorySegment) NativeSsl.EVP_aes_256_cbc.invokeExact();
                int ok = encrypt
                        ? (int) NativeSsl.EVP_EncryptInit_ex.invokeExact(cipherCtx, cipher, MemorySegment.NULL, aes, iv)
                        : (int) NativeSsl.EVP_DecryptInit_ex.invokeExact(cipherCtx, cipher, MemorySegment.NULL, aes, iv);
                if (ok != 1) {
                    return false;
                }
                MemorySegment digest = arena.allocateFrom("SHA256");
                MemorySegment params = arena.allocate(NativeSsl.OSSL_PARAM_SIZE * 3);
                param(params, 0, arena.allocateFrom("key"), NativeSsl.OSSL_PARAM_OCTET_STRING, hmac, hmac.byteSize());
                param(params, 1, arena.allocateFrom("digest"), NativeSsl.OSSL_PARAM_UTF8_STRING, digest,
                        digest.byteSize() - 1);
                return (int) NativeSsl.EVP_MAC_CTX_set_params.invokeExact(macCtx, params) == 1;
            } finally {
                // OpenSSL has copied what it needs; the arena's memory is freed, not cleared
                aes.fill((byte) 0);
                hmac.fill((byte) 0);
            }
        }
    }

    /** Writes one {@code OSSL_PARAM}; the array's last entry stays zeroed, which ends it. */
    private static void param(MemorySegment array, int index, MemorySegment key, int type, MemorySegment data,
            long size) {
        long base = index * NativeSsl.OSSL_PARAM_SIZE;
        array.set(ADDRESS, base, key);
        array.set(JAVA_INT, base + 8, type);
        array.set(ADDRESS, base + 16, data);
        array.set(JAVA_LONG, base + 24, size);
        array.set(JAVA_LONG, base + 32, -1L); // OSSL_PARAM_UNMODIFIED
    }

    /** The derived keys of {@code key}, a live key of {@code keys}; made and cached on first use. */
    private Derived derive(TicketKeyRing keys, TicketKey key) throws GeneralSecurityException {
        Derived cached = derived.get(key.generation());
        if (cached != null && cached.isFor(key)) {
            return cached;
        }
        watch(keys);
        byte[] ringKey = key.keyBytes();
        Derived fresh;
        try {
            fresh = new Derived(key, expand(ringKey, AES_LABEL), expand(ringKey, HMAC_LABEL));
        } finally {
            Arrays.fill(ringKey, (byte) 0);
        }
        Derived[] replaced = new Derived[1];
        Derived kept = derived.compute(key.generation(), (generation, old) -> {
            if (old != null && old.isFor(key)) {
                return old;
            }
            replaced[0] = old;
            return fresh;
        });
        if (kept != fresh) {
            // another thread derived the same key first
            fresh.destroy();
        } else if (replaced[0] != null) {
            // the same generation of another ring, or of a key the store lost and remade
            replaced[0].destroy();
        }
        makeRoom();
        // The key may have left the ring while it was derived: if the ring's removal came before the entry was
        // cached, no listener will see the entry, so it is checked here, after caching (the ring publishes the
        // new key list before it calls the listeners, so one of the two sees the other).
        // The same for close(): it sets closed before it empties the cache.
        if ((closed || !inRing(keys, key)) && derived.remove(key.generation(), kept)) {
            kept.destroy();
        }
        return kept;
    }

    private static boolean inRing(TicketKeyRing keys, TicketKey key) {
        for (TicketKey live : keys.keys()) {
            if (live.generation() == key.generation() && Arrays.equals(live.name(), key.name())) {
                return true;
            }
        }
        return false;
    }

    /** Keeps the cache within its limit by dropping (and zeroing) the oldest generations first. */
    private void makeRoom() {
        while (derived.size() > DERIVED_CACHE_LIMIT) {
            long oldest = Long.MAX_VALUE;
            for (long generation : derived.keySet()) {
                oldest = Math.min(oldest, generation);
            }
            Derived dropped = derived.remove(oldest);
            if (dropped != null) {
                dropped.destroy();
            }
        }
    }

    /** Listens to {@code keys}' removals; after a ring change, forgets every key of the previous ring. */
    private void watch(TicketKeyRing keys) {
        if (watched == keys) {
            return;
        }
        synchronized (watchLock) {
            if (watched == keys || closed) {
                return;
            }
            TicketKeyRing previous = watched;
            if (previous != null) {
                previous.removeRemovalListener(onRemoval);
            }
            keys.addRemovalListener(onRemoval);
            watched = keys;
            if (previous != null) {
                destroyAll();
            }
        }
    }

    /** Called by the ring, under its lock, for keys that left it. */
    private void forget(List<TicketKey> removed) {
        for (TicketKey key : removed) {
            Derived cached = derived.get(key.generation());
            if (cached != null && cached.isFor(key) && derived.remove(key.generation(), cached)) {
                cached.destroy();
            }
        }
    }

    private void destroyAll() {
        for (Long generation : derived.keySet()) {
            Derived dropped = derived.remove(generation);
            if (dropped != null) {
                dropped.destroy();
            }
        }
    }

    /**
     * Zeroes every derived key and stops listening to the ring: the SSL context that called this callback is
     * destroyed. A late call from a connection still using it gets 0 (a full handshake, or no ticket).
     */
    void close() {
        synchronized (watchLock) {
            closed = true;
            TicketKeyRing previous = watched;
            if (previous != null) {
                previous.removeRemovalListener(onRemoval);
                watched = null;
            }
            destroyAll();
        }
    }

    /** For tests: the derived AES and HMAC keys cached for {@code key} of the ring, as held (not copies). */
    byte[][] derivedKeys(TicketKey key) throws GeneralSecurityException {
        Derived d = derive(ring.ring(), key);
        return new byte[][] {d.aes, d.hmac};
    }

    /** HKDF-Expand (RFC 5869) of one 32-byte block; the ring key is already uniformly random. */
    private static byte[] expand(byte[] prk, byte[] label) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(label);
        mac.update((byte) 1);
        return mac.doFinal();
    }
}
