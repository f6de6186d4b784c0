package org.reprise.core.internal.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What this connection offers a session found for it: the ClientHello's facts (SNI, cipher suites, extended
 * master secret), the negotiated protocol, and the host's current rules, as {@link ResumptionPolicy} reads them.
 *
 * <p>Made once per resumption attempt; the arrays are not copied (the engine must not change them afterwards).
 *
 * @param engine                the engine deciding
 * @param realm                 this connector's realm, in the form the engine seals it
 * @param hostConfig            the SSLHostConfig handling the connection
 * @param sni                   the ClientHello's SNI name from {@link ServerNames}: lower case, null without one,
 *                              {@link ServerNames#INVALID} if malformed
 * @param protocol              the protocol this handshake negotiates, JSSE's spelling ({@code TLSv1.2})
 * @param offeredSuites         the IANA codes of the cipher suites the client offers
 * @param enabledSuites         the IANA codes of the cipher suites the host enables
 * @param emsOffered            whether the client offers the extended master secret (RFC 7627)
 * @param allowLegacyResumption whether a TLS 1.2 session without the extended master secret may resume with a
 *                              client that does not offer it either
 * @param clientAuthPolicy      the fingerprint of the host's current client-certificate policy
 * @param clientCertRequired    whether the host requires a verified client certificate
 * @param timeout               the host's current session timeout
 * @param now                   the current time, on the connector's clock
 */
public record Offer(String engine, String realm, String hostConfig, @Nullable String sni, String protocol,
        int[] offeredSuites, int[] enabledSuites, boolean emsOffered, boolean allowLegacyResumption,
        byte[] clientAuthPolicy, boolean clientCertRequired, Duration timeout, Instant now) {

    /** Checks that the required facts are there. */
    public Offer {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(hostConfig, "hostConfig");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(offeredSuites, "offeredSuites");
        Objects.requireNonNull(enabledSuites, "enabledSuites");
        Objects.requireNonNull(clientAuthPolicy, "clientAuthPolicy");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(now, "now");
    }
}
