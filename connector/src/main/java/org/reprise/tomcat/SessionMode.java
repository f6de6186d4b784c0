package org.reprise.tomcat;

import java.util.Locale;

/**
 * Where an engine that can choose keeps resumable sessions (connector setting {@code sessionMode}). The
 * Bouncy Castle engine always does both: it stores every TLS 1.2 session and also issues tickets.
 */
public enum SessionMode {
    /**
     * Every session is written to the session store and resumed from it (by session ID in TLS 1.2, by a
     * ticket that only names the stored session in TLS 1.3), so sessions can be listed and purged one by one.
     */
    STATEFUL,
    /**
     * Sessions live only in encrypted tickets held by clients (TLS 1.2 and 1.3); nothing is written per
     * session. Purging is done for all sessions at once, by retiring the ticket keys.
     */
    STATELESS;

    /**
     * @param value {@code stateful} or {@code stateless}, in any case
     * @return the mode
     * @throws IllegalArgumentException naming the setting and the allowed values
     */
    public static SessionMode parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Reprise setting sessionMode must be stateful or stateless, not \"" + value + "\"");
        }
    }
}
