package org.reprise.core.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Builds session records for tests, with every required field set to a plausible value. */
public final class TestRecords {

    /** The secret state every record starts with: easy to spot in a string that leaks it. */
    public static final String SECRET_TEXT = "TOPSECRET";
    /** The realm of every record made here. */
    public static final String REALM = "test-realm";

    /** How long after {@code created} a record from {@link #record} expires. */
    public static final Duration LIFETIME = Duration.ofHours(1);

    private TestRecords() {
    }

    /**
     * @param n any non-negative number
     * @return an 8-byte session ID whose hexadecimal form sorts like {@code n}
     */
    public static SessionId id(long n) {
        return SessionId.of(ByteBuffer.allocate(Long.BYTES).putLong(n).array());
    }

    /**
     * The current wall-clock time to the millisecond, the codec's precision. Records made at this time
     * expire in the wall clock's future, so the memory store keeps them.
     *
     * @return now, truncated to milliseconds
     */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * @param n       the session ID's number, see {@link #id}
     * @param created when the session was made; it expires {@link #LIFETIME} later
     * @return a builder for a TLS 1.2 session with no optional fields set
     */
    public static SessionRecord.Builder record(long n, Instant created) {
        return SessionRecord.builder()
                .id(id(n))
                .realm(REALM)
                .protocol("TLSv1.2")
                .cipherSuite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                .hostConfig("_default_")
                .created(created)
                .expires(created.plus(LIFETIME))
                .engine("jsse")
                .secretState(SECRET_TEXT.getBytes(StandardCharsets.US_ASCII));
    }
}
