package org.reprise.core.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.session.SessionLifetime;

/**
 * {@link ResumptionPolicy} as a table, without any engine: every rule once failing (its miss reason) and once
 * just passing (resume), each row one change to a session that resumes.
 */
class ResumptionPolicyTest {

    private static final Instant MADE = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration TIMEOUT = Duration.ofHours(1);
    private static final int AES128 = 0xC02F;
    private static final int AES256 = 0xC030;
    private static final byte[] POLICY = {1, 2, 3, 4};
    private static final byte[] OTHER_POLICY = {1, 2, 3, 5};

    /** The facts of one row, starting as a TLS 1.2 session with EMS that resumes a minute after it was made. */
    static final class Facts {
        String engine = "bc";
        String realm = "realm-a";
        String hostConfig = "_default_";
        @Nullable String sni = "www.example.com";
        String protocol = "TLSv1.2";
        int suite = AES128;
        boolean ems = true;
        byte[] policy = POLICY;
        boolean verified;
        Instant created = MADE;
        Instant authenticated = MADE;
        @Nullable Instant expires = MADE.plus(TIMEOUT);
        @Nullable Instant notAfter;

        String offerEngine = "bc";
        String offerRealm = "realm-a";
        String offerHost = "_default_";
        @Nullable String offerSni = "www.example.com";
        String offerProtocol = "TLSv1.2";
        int[] offered = {AES256, AES128};
        int[] enabled = {AES128, AES256};
        boolean emsOffered = true;
        boolean allowLegacy;
        byte[] offerPolicy = POLICY;
        boolean required;
        Duration timeout = TIMEOUT;
        Instant now = MADE.plusSeconds(60);

        @Nullable MissReason check() {
            return ResumptionPolicy.check(
                    new Binding(engine, realm, hostConfig, sni, protocol, suite, ems, policy, verified, created,
                            authenticated, expires, notAfter),
                    new Offer(offerEngine, offerRealm, offerHost, offerSni, offerProtocol, offered, enabled,
                            emsOffered, allowLegacy, offerPolicy, required, timeout, now));
        }
    }

    private static Arguments row(String rule, @Nullable MissReason expected, Consumer<Facts> change) {
        return Arguments.of(rule, expected, change);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                row("0 unchanged", null, f -> { }),
                row("1 another engine", MissReason.ENGINE_UNSUPPORTED, f -> f.engine = "openssl"),
                row("1 same engine elsewhere", null, f -> { f.engine = "openssl"; f.offerEngine = "openssl"; }),
                row("2 another realm", MissReason.REALM_MISMATCH, f -> f.offerRealm = "realm-b"),
                row("2 same realm, another object", null, f -> f.offerRealm = new String("realm-a")),
                row("3 another SSLHostConfig", MissReason.HOST_MISMATCH, f -> f.offerHost = "other"),
                row("3 another SNI name", MissReason.HOST_MISMATCH, f -> f.offerSni = "api.example.com"),
                row("3 SNI now, none then", MissReason.HOST_MISMATCH, f -> f.sni = null),
                row("3 none now, SNI then", MissReason.HOST_MISMATCH, f -> f.offerSni = null),
                row("3 malformed SNI", MissReason.HOST_MISMATCH, f -> f.offerSni = ServerNames.INVALID),
                row("3 malformed SNI, none then", MissReason.HOST_MISMATCH,
                        f -> { f.sni = null; f.offerSni = ServerNames.INVALID; }),
                row("3 no SNI either time", null, f -> { f.sni = null; f.offerSni = null; }),
                row("4 TLS 1.2 session, TLS 1.3 handshake", MissReason.PROTOCOL_MISMATCH,
                        f -> f.offerProtocol = "TLSv1.3"),
                row("4 TLS 1.3 session, TLS 1.3 handshake", null,
                        f -> { f.protocol = "TLSv1.3"; f.offerProtocol = "TLSv1.3"; }),
                row("5 sealed expiry reached", MissReason.EXPIRED, f -> f.expires = f.now),
                row("5 sealed expiry a nanosecond ahead", null, f -> f.expires = f.now.plusNanos(1)),
                row("5 timeout lowered below the session's age", MissReason.EXPIRED,
                        f -> f.timeout = Duration.ofSeconds(60)),
                row("5 timeout a nanosecond above the session's age", null,
                        f -> f.timeout = Duration.ofSeconds(60, 1)),
                row("5 no sealed expiry, within timeout", null, f -> f.expires = null),
                row("5 no sealed expiry, timeout passed", MissReason.EXPIRED,
                        f -> { f.expires = null; f.now = MADE.plus(TIMEOUT); }),
                row("6 renewed session, line authenticated a timeout ago", MissReason.AUTH_EXPIRED,
                        f -> { f.authenticated = f.now.minus(TIMEOUT); }),
                row("6 renewed session, line authenticated just within the timeout", null,
                        f -> f.authenticated = f.now.minus(TIMEOUT).plusNanos(1)),
                row("6 7-day ceiling under a longer timeout", MissReason.AUTH_EXPIRED, f -> {
                    f.timeout = Duration.ofDays(30);
                    f.expires = null;
                    f.authenticated = f.now.minus(SessionLifetime.MAX);
                }),
                row("6 just within the 7-day ceiling", null, f -> {
                    f.timeout = Duration.ofDays(30);
                    f.expires = null;
                    f.authenticated = f.now.minus(SessionLifetime.MAX).plusNanos(1);
                }),
                row("6 client certificate expired", MissReason.AUTH_EXPIRED, f -> f.notAfter = f.now.minusNanos(1)),
                row("6 client certificate valid to this instant", null, f -> f.notAfter = f.now),
                row("7 suite no longer enabled", MissReason.CIPHER_UNAVAILABLE, f -> f.enabled = new int[] {AES256}),
                row("7 suite not offered", MissReason.CIPHER_UNAVAILABLE, f -> f.offered = new int[] {AES256}),
                row("7 suite only one enabled and offered", null,
                        f -> { f.enabled = new int[] {AES128}; f.offered = new int[] {AES128}; }),
                row("8 EMS session, client offers none", MissReason.EMS_MISMATCH, f -> f.emsOffered = false),
                row("8 legacy session, client offers EMS", MissReason.EMS_MISMATCH, f -> f.ems = false),
                row("8 legacy both, legacy not allowed", MissReason.EMS_MISMATCH,
                        f -> { f.ems = false; f.emsOffered = false; }),
                row("8 legacy both, legacy allowed", null,
                        f -> { f.ems = false; f.emsOffered = false; f.allowLegacy = true; }),
                row("8 TLS 1.3 has no EMS rule", null, f -> {
                    f.protocol = "TLSv1.3";
                    f.offerProtocol = "TLSv1.3";
                    f.ems = false;
                    f.emsOffered = true;
                }),
                row("9 certificate required, session has none", MissReason.CLIENT_CERT_REQUIRED,
                        f -> f.required = true),
                row("9 certificate required, session has a verified one", null,
                        f -> { f.required = true; f.verified = true; }),
                row("9 required now, policy changed too: the requirement is named", MissReason.CLIENT_CERT_REQUIRED,
                        f -> { f.required = true; f.offerPolicy = OTHER_POLICY; }),
                row("10 another client-certificate policy", MissReason.CLIENT_AUTH_CHANGED,
                        f -> { f.offerPolicy = OTHER_POLICY; f.verified = true; }),
                row("10 same policy, another array", null, f -> f.offerPolicy = POLICY.clone()),
                row("order: realm before host", MissReason.REALM_MISMATCH,
                        f -> { f.offerRealm = "realm-b"; f.offerHost = "other"; }),
                row("order: host before expiry", MissReason.HOST_MISMATCH,
                        f -> { f.offerSni = "api.example.com"; f.expires = f.now; }),
                row("order: expiry before cipher", MissReason.EXPIRED,
                        f -> { f.expires = f.now; f.enabled = new int[0]; }),
                row("order: cipher before EMS", MissReason.CIPHER_UNAVAILABLE,
                        f -> { f.offered = new int[0]; f.emsOffered = false; }));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("table")
    void rule(String rule, @Nullable MissReason expected, Consumer<Facts> change) {
        Facts facts = new Facts();
        change.accept(facts);
        assertEquals(expected, facts.check(), rule);
    }

    /** Rules 5 and 6 together are SessionLifetime.allows, on every row that reaches them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void lifetimeRulesAgreeWithSessionLifetime(String rule, @Nullable MissReason expected, Consumer<Facts> change) {
        Facts f = new Facts();
        change.accept(f);
        f.expires = null;
        MissReason reason = f.check();
        boolean lifetime = reason == MissReason.EXPIRED || reason == MissReason.AUTH_EXPIRED;
        if (reason == null || lifetime) {
            assertEquals(!lifetime, SessionLifetime.allows(f.now, f.authenticated, f.created, f.timeout, f.notAfter),
                    rule);
        }
    }
}
