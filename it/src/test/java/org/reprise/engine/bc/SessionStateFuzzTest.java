package org.reprise.engine.bc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.tls.Certificate;

/**
 * Junk against the Bouncy Castle engine's session state (what a stored session or a ticket carries): either
 * {@link SessionState#parse} refuses it with an IllegalArgumentException, or the state it reads turns into
 * Bouncy Castle session parameters or an IOException (a certificate that does not parse). The engine
 * answers both refusals with a full handshake.
 */
class SessionStateFuzzTest {

    private static final ServerCrypto CRYPTO = new ServerCrypto(new SecureRandom());

    @FuzzTest(maxDuration = "5s")
    void junkIsRejected(byte[] state) {
        SessionState parsed;
        try {
            parsed = SessionState.parse(state);
        } catch (IllegalArgumentException rejected) {
            return;
        }
        try {
            parsed.toParameters(CRYPTO, List.of(), Certificate.EMPTY_CHAIN);
        } catch (IOException rejected) {
            // a stored certificate that does not parse
        }
    }
}
