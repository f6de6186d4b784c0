package org.reprise.core.session;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * How long a session may resume, the same on every engine and for every mechanism (session ID, ticket,
 * TLS 1.3 PSK), after Go's crypto/tls: a session line (a session and every session renewed from it) resumes
 * for at most {@code min(sessionTimeout, 7 days)} from the full handshake that authenticated it (RFC 8446,
 * 4.6.1), each session of the line for at most {@code sessionTimeout} from its own making, where the timeout
 * is the host's current one (a lowered timeout shortens sessions made before), and never once the client
 * certificate it was made with has expired. Stateless; thread-safe.
 */
public final class SessionLifetime {

    /** The longest a session line may resume after its authentication: TLS 1.3's ticket lifetime limit. */
    public static final Duration MAX = Duration.ofDays(7);

    private SessionLifetime() {
    }

    /**
     * @param authenticated when the full handshake of the session's line completed
     * @param created       when this session was made (renewed)
     * @param timeout       the host's session timeout
     * @return the first instant at which the session no longer resumes, the client certificate aside
     */
    public static Instant expiry(Instant authenticated, Instant created, Duration timeout) {
        Instant own = created.plus(timeout);
        Instant line = authenticated.plus(timeout.compareTo(MAX) < 0 ? timeout : MAX);
        return own.isBefore(line) ? own : line;
    }

    /**
     * @param now           the current time
     * @param authenticated when the full handshake of the session's line completed
     * @param created       when this session was made (renewed)
     * @param timeout       the host's session timeout now, which may be lower than when the session was made
     * @param peerNotAfter  the end of the client certificate's validity, or null if the session has none
     * @return whether the session may still resume at {@code now}
     */
    public static boolean allows(Instant now, Instant authenticated, Instant created, Duration timeout,
            @Nullable Instant peerNotAfter) {
        return now.isBefore(expiry(authenticated, created, timeout))
                && (peerNotAfter == null || !now.isAfter(peerNotAfter));
    }
}
