package org.reprise.admin;

import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * One INFO line per purge, rotation or retirement on the {@code java.util.logging} logger
 * {@code org.reprise.admin.audit}, naming the user, the connector and what was done; never a secret.
 */
public final class Audit {

    /** The logger's name. */
    public static final String LOGGER = "org.reprise.admin.audit";

    private final Logger log = Logger.getLogger(LOGGER);

    /**
     * @param user      the authenticated user, or null
     * @param connector the connector acted on
     * @param action    what was done, for example {@code purged 3 sessions}
     */
    public void record(@Nullable String user, String connector, String action) {
        log.info("user=" + clean(user == null ? "-" : user) + " connector=" + clean(connector) + " " + clean(action));
    }

    /** Keeps a client-chosen name from forging log lines. */
    private static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.append(Character.isISOControl(c) ? "?" : Character.toString(c)));
        return b.toString();
    }
}
