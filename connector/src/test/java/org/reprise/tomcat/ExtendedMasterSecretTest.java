package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.jspecify.annotations.Nullable;
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
            Handshake legacy = Handshake.run(server.port(), false, null);
            Handshake modern = Handshake.run(server.port(), true, legacy.session);

            assertFalse(modern.resumed);
            assertEquals(1, server.metrics().misses(MissReason.EMS_MISMATCH));
        }
    }

    @Test
    void aSessionWithEmsDoesNotResumeForAClientThatDropsIt() throws Exception {
        try (TestServer server = server(true)) {
            Handshake modern = Handshake.run(server.port(), true, null);
            Handshake legacy = Handshake.run(server.port(), false, modern.session);

            assertFalse(legacy.resumed, "a full handshake, not the abort Bouncy Castle would otherwise send");
            assertEquals(2, server.metrics().handshakesFull());
            assertEquals(0, server.metrics().handshakesResumed());
        }
    }

    @Test
    void legacySessionsResumeOnlyWhenAllowed() throws Exception {
        try (TestServer strict = server(false)) {
            Handshake first = Handshake.run(strict.port(), false, null);
            assertFalse(Handshake.run(strict.port(), false, first.session).resumed);
            assertEquals(1, strict.metrics().misses(MissReason.EMS_MISMATCH));
        }
        try (TestServer lenient = server(true)) {
            Handshake first = Handshake.run(lenient.port(), false, null);
            assertTrue(Handshake.run(lenient.port(), false, first.session).resumed);
        }
    }

    /** One TLS 1.2 handshake by a Bouncy Castle client that may or may not offer the extended master secret. */
    private static final class Handshake {
        final TlsSession session;
        final boolean resumed;

        private Handshake(TlsSession session, boolean resumed) {
            this.session = session;
            this.resumed = resumed;
        }

        static Handshake run(int port, boolean offerEms, @Nullable TlsSession resume) throws IOException {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                TlsClientProtocol protocol = new TlsClientProtocol(socket.getInputStream(), socket.getOutputStream());
                Client client = new Client(offerEms, resume);
                protocol.connect(client);
                boolean resumed = client.resumed;
                TlsSession session = client.session;
                protocol.close();
                return new Handshake(session, resumed);
            }
        }
    }

    private static final class Client extends DefaultTlsClient {
        private final boolean offerEms;
        private final @Nullable TlsSession resume;
        TlsSession session;
        boolean resumed;

        Client(boolean offerEms, @Nullable TlsSession resume) {
            super(new JcaTlsCryptoProvider().create(new SecureRandom()));
            this.offerEms = offerEms;
            this.resume = resume;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.TLSv12.only();
        }

        @Override
        public boolean shouldUseExtendedMasterSecret() {
            return offerEms;
        }

        @Override
        public boolean requiresExtendedMasterSecret() {
            return false;
        }

        @Override
        public boolean allowLegacyResumption() {
            return true;
        }

        @Override
        public @Nullable TlsSession getSessionToResume() {
            return resume;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            session = context.getSession();
            resumed = context.getSecurityParametersConnection().isResumedSession();
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new ServerOnlyTlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                    // The test trusts its own server; certificate checks are tested elsewhere.
                }
            };
        }
    }
}
