package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.metrics.MissReason;

/**
 * RFC 7627: a session resumes only under the extended master secret rules. OpenSSL's client cannot turn
 * the extension off, so a Bouncy Castle client plays the old client here.
 */
class ExtendedMasterSecretTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();

    ExtendedMasterSecretTest() throws Exception {
    }

    private TestServer server(boolean allowLegacy) throws Exception {
        return TestServer.start(dir, new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().allowLegacyResumption(allowLegacy).build())
                .host(pki, dir, "localhost", false, false, h -> h.setDisableSessionTickets(true)));
    }

    @Test
    void aSessionWithoutEmsDoesNotResumeWhenTheClientNowOffersIt() throws Exception {
        try (TestServer server = server(true)) {
            BcTls12Handshake legacy = BcTls12Handshake.run(server.port(), false, null);
            BcTls12Handshake modern = BcTls12Handshake.run(server.port(), true, legacy.session());

            assertFalse(modern.resumed());
            assertEquals(1, server.metrics().misses(MissReason.EMS_MISMATCH));
        }
    }

    @Test
    void aSessionWithEmsDoesNotResumeForAClientThatDropsIt() throws Exception {
        try (TestServer server = server(true)) {
            BcTls12Handshake modern = BcTls12Handshake.run(server.port(), true, null);
            BcTls12Handshake legacy = BcTls12Handshake.run(server.port(), false, modern.session());

            assertFalse(legacy.resumed(), "a full handshake, not the abort Bouncy Castle would otherwise send");
            assertEquals(2, server.metrics().handshakesFull());
            assertEquals(0, server.metrics().handshakesResumed());
        }
    }

    @Test
    void legacySessionsResumeOnlyWhenAllowed() throws Exception {
        try (TestServer strict = server(false)) {
            BcTls12Handshake first = BcTls12Handshake.run(strict.port(), false, null);
            assertFalse(BcTls12Handshake.run(strict.port(), false, first.session()).resumed());
            assertEquals(1, strict.metrics().misses(MissReason.EMS_MISMATCH));
        }
        try (TestServer lenient = server(true)) {
            BcTls12Handshake first = BcTls12Handshake.run(lenient.port(), false, null);
            assertTrue(BcTls12Handshake.run(lenient.port(), false, first.session()).resumed());
        }
    }
}
