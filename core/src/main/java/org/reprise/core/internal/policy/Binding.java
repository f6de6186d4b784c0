package org.reprise.core.internal.policy;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a session found in the store or in a ticket is bound to: the facts {@link ResumptionPolicy} checks, read
 * by the engine from the {@link org.reprise.core.session.SessionRecord} and from its own sealed state (the
 * extended master secret, the client-auth facts), which only it can parse.
 *
 * <p>Made once per resumption attempt; the arrays are not copied (the engine must not change them afterwards).
 *
 * @param engine            the engine that made the session ({@code SessionRecord.engine()})
 * @param realm             the realm that made it, in the form the engine seals (its name, or a digest of it)
 * @param hostConfig        the SSLHostConfig that made it
 * @param sni               the SNI name of its full handshake, lower case ({@link ServerNames}), or null
 * @param protocol          its protocol, JSSE's spelling ({@code TLSv1.2})
 * @param cipherSuite       its cipher suite's IANA code
 * @param extendedMasterSecret whether its (TLS 1.2) handshake used the extended master secret (RFC 7627)
 * @param clientAuthPolicy  the fingerprint of the client-certificate policy it was made under
 * @param clientCertVerified whether its client certificate chain was verified under that policy
 * @param created           when this session was made (renewed)
 * @param authenticated     when the full handshake of its line completed
 * @param expires           the expiry sealed with the session, or null if it carries none
 * @param peerNotAfter      the end of its client certificate's validity, or null without one
 */
public record Binding(String engine, String realm, String hostConfig, @Nullable String sni, String protocol,
        int cipherSuite, boolean extendedMasterSecret, byte[] clientAuthPolicy, boolean clientCertVerified,
        Instant created, Instant authenticated, @Nullable Instant expires, @Nullable Instant peerNotAfter) {

    /** Checks that the required facts are there. */
    public Binding {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(hostConfig, "hostConfig");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(clientAuthPolicy, "clientAuthPolicy");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(authenticated, "authenticated");
    }
}
