package org.reprise.engine.bc;

import java.time.Duration;
import java.util.Objects;

/**
 * The resumption rules of one virtual host (one Tomcat SSLHostConfig).
 *
 * @param hostConfig            the SSLHostConfig's name; a session resumes only on the host that made it
 * @param sessionTimeout        how long a session or ticket stays resumable; the current value applies to
 *                              sessions made under an earlier, longer one
 * @param ticketsEnabled        whether to issue and accept RFC 5077 session tickets
 * @param allowLegacyResumption whether to resume sessions made without the extended master secret
 *                              (RFC 7627) when the client does not offer it either
 * @param clientAuthPolicy      the fingerprint of the host's client-certificate policy (verification mode and
 *                              trust anchors); a session resumes only where it is the same as when it was made
 */
record HostPolicy(String hostConfig, Duration sessionTimeout, boolean ticketsEnabled,
        boolean allowLegacyResumption, byte[] clientAuthPolicy) {

    /** Checks the values and copies the fingerprint, so that the policy stays immutable. */
    public HostPolicy {
        Objects.requireNonNull(hostConfig, "hostConfig");
        if (sessionTimeout.isNegative()) {
            throw new IllegalArgumentException("sessionTimeout must not be negative");
        }
        clientAuthPolicy = Objects.requireNonNull(clientAuthPolicy, "clientAuthPolicy").clone();
        if (clientAuthPolicy.length == 0 || clientAuthPolicy.length > 255) {
            throw new IllegalArgumentException("clientAuthPolicy must be 1 to 255 bytes, not "
                    + clientAuthPolicy.length);
        }
    }

    /** @return a copy of the client-certificate policy's fingerprint */
    @Override
    public byte[] clientAuthPolicy() {
        return clientAuthPolicy.clone();
    }
}
