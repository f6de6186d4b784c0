package org.reprise.core.internal.policy;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.session.SessionLifetime;

/**
 * The one rule on whether a session found in the store or in a ticket resumes: only where it would have been
 * accepted fresh, after Go's crypto/tls {@code checkForResumption}. Every engine and every mechanism (session ID,
 * ticket, TLS 1.3 PSK) asks it; the engine finds the session, reads the facts, and applies the answer.
 *
 * <p>Each rule is an early return, in this order; the first that fails names the miss:
 * <table>
 * <caption>The rules</caption>
 * <tr><th>#</th><th>the session resumes only if</th><th>else</th></tr>
 * <tr><td>1</td><td>this engine made it</td><td>{@link MissReason#ENGINE_UNSUPPORTED}</td></tr>
 * <tr><td>2</td><td>this realm made it</td><td>{@link MissReason#REALM_MISMATCH}</td></tr>
 * <tr><td>3</td><td>this SSLHostConfig made it, for the SNI name offered now (none for none; a malformed SNI
 *     matches nothing)</td><td>{@link MissReason#HOST_MISMATCH}</td></tr>
 * <tr><td>4</td><td>its protocol is the one negotiated now</td><td>{@link MissReason#PROTOCOL_MISMATCH}</td></tr>
 * <tr><td>5</td><td>its sealed expiry has not come, and {@code now < created + sessionTimeout} (the host's
 *     current timeout)</td><td>{@link MissReason#EXPIRED}</td></tr>
 * <tr><td>6</td><td>{@code now < authenticated + min(sessionTimeout, 7 days)} (RFC 8446, 4.6.1), and its client
 *     certificate, if any, is within its validity ({@code now <= notAfter})</td>
 *     <td>{@link MissReason#AUTH_EXPIRED}</td></tr>
 * <tr><td>7</td><td>the host still enables its cipher suite and the client offers it</td>
 *     <td>{@link MissReason#CIPHER_UNAVAILABLE}</td></tr>
 * <tr><td>8</td><td>TLS 1.2 only: the client offers the extended master secret exactly when the session used
 *     it, and a session without it only where legacy resumption is allowed (RFC 7627, 5.3)</td>
 *     <td>{@link MissReason#EMS_MISMATCH}</td></tr>
 * <tr><td>9</td><td>where the host requires a client certificate, the session has a verified one</td>
 *     <td>{@link MissReason#CLIENT_CERT_REQUIRED}</td></tr>
 * <tr><td>10</td><td>the host's client-certificate policy (verification mode, trust anchors) is the one it was
 *     made under</td><td>{@link MissReason#CLIENT_AUTH_CHANGED}</td></tr>
 * </table>
 * Rules 5 and 6 together are {@link SessionLifetime#allows}.
 *
 * <p>Stateless and thread-safe; a check allocates nothing.
 */
public final class ResumptionPolicy {

    private static final String TLS_1_3 = "TLSv1.3";

    private ResumptionPolicy() {
    }

    /**
     * @param session what the session found is bound to
     * @param offer   what this connection offers
     * @return null if the session resumes, else the first rule it fails
     */
    public static @Nullable MissReason check(Binding session, Offer offer) {
        if (!session.engine().equals(offer.engine())) {
            return MissReason.ENGINE_UNSUPPORTED;
        }
        if (!session.realm().equals(offer.realm())) {
            return MissReason.REALM_MISMATCH;
        }
        String sni = offer.sni();
        if (!session.hostConfig().equals(offer.hostConfig()) || ServerNames.INVALID.equals(sni)
                || (sni == null ? session.sni() != null : !sni.equals(session.sni()))) {
            return MissReason.HOST_MISMATCH;
        }
        if (!session.protocol().equals(offer.protocol())) {
            return MissReason.PROTOCOL_MISMATCH;
        }
        Instant now = offer.now();
        Duration timeout = offer.timeout();
        Instant expires = session.expires();
        if (expires != null && !now.isBefore(expires) || !within(now, session.created(), timeout)) {
            return MissReason.EXPIRED;
        }
        Instant notAfter = session.peerNotAfter();
        Duration line = timeout.compareTo(SessionLifetime.MAX) < 0 ? timeout : SessionLifetime.MAX;
        if (!within(now, session.authenticated(), line) || notAfter != null && now.isAfter(notAfter)) {
            return MissReason.AUTH_EXPIRED;
        }
        int suite = session.cipherSuite();
        if (!contains(offer.enabledSuites(), suite) || !contains(offer.offeredSuites(), suite)) {
            return MissReason.CIPHER_UNAVAILABLE;
        }
        if (!TLS_1_3.equals(offer.protocol()) && (session.extendedMasterSecret() != offer.emsOffered()
                || !session.extendedMasterSecret() && !offer.allowLegacyResumption())) {
            return MissReason.EMS_MISMATCH;
        }
        if (offer.clientCertRequired() && !session.clientCertVerified()) {
            return MissReason.CLIENT_CERT_REQUIRED;
        }
        if (!MessageDigest.isEqual(session.clientAuthPolicy(), offer.clientAuthPolicy())) {
            return MissReason.CLIENT_AUTH_CHANGED;
        }
        return null;
    }

    /** {@code now < since + duration}, without making an instant (the sum may lie beyond Instant's range). */
    private static boolean within(Instant now, Instant since, Duration duration) {
        long seconds = now.getEpochSecond() - since.getEpochSecond();
        int nanos = now.getNano() - since.getNano();
        if (nanos < 0) {
            seconds--;
            nanos += 1_000_000_000;
        }
        return seconds < duration.getSeconds() || seconds == duration.getSeconds() && nanos < duration.getNano();
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
