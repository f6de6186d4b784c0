package org.reprise.store.jdbc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Seals secrets with AES-256-GCM under the current data key before they are written, and opens them
 * after they are read.
 *
 * <p>A sealed secret is {@code version(1) | salt(16) | nonce(12) | ciphertext | tag(16)}. Each secret
 * gets its own AES key, HMAC-SHA256(data key, salt): GCM with random nonces is only safe for about
 * 2<sup>32</sup> messages per key, and a busy cluster writes that many sessions under one data key in
 * weeks; per-secret keys lift that limit without a counter shared between nodes. The associated data
 * binds a secret to its row (the session ID, the ticket key generation), so a secret copied into another
 * row does not open. Thread-safe.
 */
final class SecretCipher {

    private static final byte VERSION = 1;
    private static final int SALT_LENGTH = 16;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER = 1 + SALT_LENGTH + NONCE_LENGTH;
    private static final int OVERHEAD = HEADER + TAG_BITS / 8;

    /** A secret ready for its row: the ID of the data key that sealed it, and the sealed bytes. */
    record Sealed(String keyId, byte[] bytes) {
    }

    private final DataKeys keys;
    private final SecureRandom random = new SecureRandom();

    SecretCipher(DataKeys keys) {
        this.keys = keys;
    }

    /**
     * Associated data for one use: the purpose keeps a session secret from opening as a ticket key
     * and the other way round.
     */
    static byte[] associatedData(String purpose, byte[] rowIdentity) {
        byte[] label = purpose.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(label.length + 1 + rowIdentity.length)
                .put(label).put((byte) 0).put(rowIdentity).array();
    }

    /** @return the IDs of this node's data keys, the encrypting one first: may be shown, never the keys */
    List<String> keyIds() {
        return keys.keyIds();
    }

    /** @return whether this node has the data key with this ID */
    boolean hasKey(@Nullable String keyId) {
        return keyId != null && keys.byId(keyId) != null;
    }

    Sealed seal(byte[] plaintext, byte[] associatedData) {
        byte[] out = new byte[OVERHEAD + plaintext.length];
        out[0] = VERSION;
        byte[] saltAndNonce = new byte[SALT_LENGTH + NONCE_LENGTH];
        random.nextBytes(saltAndNonce);
        System.arraycopy(saltAndNonce, 0, out, 1, saltAndNonce.length);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.current(), out, associatedData);
            cipher.doFinal(plaintext, 0, plaintext.length, out, HEADER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
        return new Sealed(keys.currentKeyId(), out);
    }

    /**
     * @return the secret, or null if this node lacks the key, the bytes were changed, or they belong to
     *         another row
     */
    byte @Nullable [] open(String keyId, byte[] sealed, byte[] associatedData) {
        SecretKey dataKey = keys.byId(keyId);
        if (dataKey == null || sealed.length < OVERHEAD || sealed[0] != VERSION) {
            return null;
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, dataKey, sealed, associatedData);
            return cipher.doFinal(sealed, HEADER, sealed.length - HEADER);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static Cipher cipher(int mode, SecretKey dataKey, byte[] header, byte[] associatedData)
            throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(dataKey);
        mac.update(header, 1, SALT_LENGTH);
        byte[] derived = mac.doFinal();
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(derived, "AES"),
                new GCMParameterSpec(TAG_BITS, header, 1 + SALT_LENGTH, NONCE_LENGTH));
        Arrays.fill(derived, (byte) 0);
        cipher.updateAAD(associatedData);
        return cipher;
    }
}
