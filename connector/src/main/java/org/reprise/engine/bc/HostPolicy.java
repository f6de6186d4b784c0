package org.reprise.engine.bc;

import java.time.Duration;
import java.util.Objects;

/**
 * The resumption rules of one virtual host (one Tomcat SSLHostConfig).
 *
 * @param hostConfig            the SSLHostConfig's name; a session resumes only on the host that made it
 * @param sessionTimeout        how long a session or ticket stays resumable
 * @param ticketsEnabled        whether to issue and accept RFC 5077 session tickets
 * @param allowLegacyResumption whether to resume sessions made without the extended master secret
 *                              (RFC 7627) when the client does not offer it either
 */
public record HostPolicy(String hostConfig, Duration sessionTimeout, boolean ticketsEnabled,
        boolean allowLegacyResumption) {

    /** Checks the values. */
    public HostPolicy {
        Objects.requireNonNull(hostConfig, "hostConfig");
        if (sessionTimeout.isNegative()) {
            throw new IllegalArgumentException("sessionTimeout must not be negative");
        }
    }
}
