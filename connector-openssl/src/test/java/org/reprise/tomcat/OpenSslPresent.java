package org.reprise.tomcat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.reprise.engine.openssl.OpenSslEngineProvider;

/**
 * Skips a test class, saying why, where the OpenSSL engine cannot run (no libssl, no Tomcat FFM binding).
 * bin/test installs what the engine needs, so on the project's machines nothing is skipped.
 */
final class OpenSslPresent {

    private OpenSslPresent() {
    }

    static void assumeAvailable() {
        String missing = null;
        try {
            new OpenSslEngineProvider().checkAvailable();
        } catch (IllegalStateException e) {
            missing = e.getMessage();
        }
        if (missing != null) {
            System.out.println("SKIPPED: " + missing);
        }
        assumeTrue(missing == null, missing);
    }
}
