package org.reprise.store.jdbc;

import java.security.SecureRandom;
import java.util.Base64;

/** Data keys for tests, and their text form. */
final class TestKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestKeys() {
    }

    /** @return one base64 line holding a new random 32-byte key */
    static String line() {
        byte[] key = new byte[DataKeys.KEY_LENGTH];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static DataKeys fresh() {
        return DataKeys.parse(line());
    }
}
