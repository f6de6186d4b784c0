package org.reprise.store.jdbc;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionRecord;

/** Session records for tests: unique IDs, random secrets, times to the millisecond as the database keeps them. */
final class Sessions {

    /** The realm of every session made here. */
    static final String REALM = "reprise-test";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong NEXT = new AtomicLong(RANDOM.nextInt(1 << 20) * 1_000_000L);

    private Sessions() {
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** @return a 32-byte session ID never handed out before in this JVM */
    static SessionId newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        ByteBuffer.wrap(bytes).putLong(NEXT.incrementAndGet());
        return SessionId.of(bytes);
    }

    /** @return a TLS 1.2 session made now that lives for an hour */
    static SessionRecord live() {
        Instant now = now();
        return made(now, now.plus(Duration.ofHours(1))).build();
    }

    /** @return a session that expired a minute ago */
    static SessionRecord expired() {
        Instant now = now();
        return made(now.minus(Duration.ofHours(1)), now.minus(Duration.ofMinutes(1))).build();
    }

    /** @return a builder for a session with every field set and a random 48-byte secret */
    static SessionRecord.Builder made(Instant created, Instant expires) {
        byte[] secret = new byte[48];
        RANDOM.nextBytes(secret);
        return SessionRecord.builder()
                .id(newId())
                .realm(REALM)
                .protocol("TLSv1.2")
                .cipherSuite("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
                .hostConfig("_default_")
                .sniHost("www.example.com")
                .created(created)
                .expires(expires)
                .engine("bc")
                .node("a")
                .peerIdentity("CN=client")
                .secretState(secret);
    }
}
