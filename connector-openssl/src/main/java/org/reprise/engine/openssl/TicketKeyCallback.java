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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
 * are cached per ring key; nothing here is logged.
 */
final class TicketKeyCallback {

    private static final byte[] AES_LABEL = "reprise openssl ticket aes-256-cbc".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HMAC_LABEL = "reprise openssl ticket hmac-sha256".getBytes(StandardCharsets.US_ASCII);
    private static final int DERIVED_CACHE_LIMIT = 16;

    private final TicketKeyRingSource ring;
    private final SecureRandom random;
    private final Map<Long, Derived> derived = new ConcurrentHashMap<>();

    /** Supplies the connector's ring, which exists only from the first connection on. */
    @FunctionalInterface
    interface TicketKeyRingSource {
        TicketKeyRing ring();
    }

    private record Derived(TicketKey key, byte[] aes, byte[] hmac) {
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
            MemorySegment name = keyName.reinterpret(NativeSsl.TICKET_KEY_NAME_LENGTH);
            MemorySegment ivBytes = iv.reinterpret(NativeSsl.TICKET_IV_LENGTH);
            TicketKeyRing keys = ring.ring();
            if (enc == 1) {
                TicketKey key = keys.encryptionKey();
                MemorySegment.copy(key.name(), 0, name, JAVA_BYTE, 0, NativeSsl.TICKET_KEY_NAME_LENGTH);
                byte[] freshIv = new byte[NativeSsl.TICKET_IV_LENGTH];
                random.nextBytes(freshIv);
                MemorySegment.copy(freshIv, 0, ivBytes, JAVA_BYTE, 0, freshIv.length);
                return init(derive(key), cipherCtx, macCtx, ivBytes, true) ? 1 : 0;
            }
            TicketKey key = keys.decryptionKey(name.toArray(JAVA_BYTE), 0);
            if (key == null) {
                return 0;
            }
            if (!init(derive(key), cipherCtx, macCtx, ivBytes, false)) {
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
            MemorySegment aes = arena.allocateFrom(JAVA_BYTE, keys.aes());
            MemorySegment cipher = (MemorySegment) NativeSsl.EVP_aes_256_cbc.invokeExact();
            int ok = encrypt
                    ? (int) NativeSsl.EVP_EncryptInit_ex.invokeExact(cipherCtx, cipher, MemorySegment.NULL, aes, iv)
                    : (int) NativeSsl.EVP_DecryptInit_ex.invokeExact(cipherCtx, cipher, MemorySegment.NULL, aes, iv);
            aes.fill((byte) 0);
            if (ok != 1) {
                return false;
            }
            MemorySegment hmac = arena.allocateFrom(JAVA_BYTE, keys.hmac());
            MemorySegment digest = arena.allocateFrom("SHA256");
            MemorySegment params = arena.allocate(NativeSsl.OSSL_PARAM_SIZE * 3);
            param(params, 0, arena.allocateFrom("key"), NativeSsl.OSSL_PARAM_OCTET_STRING, hmac, hmac.byteSize());
            param(params, 1, arena.allocateFrom("digest"), NativeSsl.OSSL_PARAM_UTF8_STRING, digest,
                    digest.byteSize() - 1);
            int set = (int) NativeSsl.EVP_MAC_CTX_set_params.invokeExact(macCtx, params);
            hmac.fill((byte) 0);
            return set == 1;
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

    private Derived derive(TicketKey key) throws GeneralSecurityException {
        Derived cached = derived.get(key.generation());
        if (cached != null && Arrays.equals(cached.key().name(), key.name())) {
            return cached;
        }
        if (derived.size() >= DERIVED_CACHE_LIMIT) {
            derived.clear();
        }
        byte[] ring = key.keyBytes();
        try {
            Derived fresh = new Derived(key, expand(ring, AES_LABEL), expand(ring, HMAC_LABEL));
            derived.put(key.generation(), fresh);
            return fresh;
        } finally {
            Arrays.fill(ring, (byte) 0);
        }
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
