package org.reprise.tomcat;

import java.io.IOException;
import java.net.Socket;
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

/**
 * One TLS 1.2 handshake by a Bouncy Castle client that may or may not offer the extended master secret
 * (RFC 7627): the one client at hand that can leave it out, which OpenSSL and the JDK always offer.
 *
 * @param session the session the handshake made or resumed
 * @param resumed whether it resumed {@code resume}
 */
public record BcTls12Handshake(TlsSession session, boolean resumed) {

    /**
     * @param port     the server's port on 127.0.0.1
     * @param offerEms whether to offer the extended master secret
     * @param resume   a session to offer, or null
     * @return the handshake's outcome
     */
    public static BcTls12Handshake run(int port, boolean offerEms, @Nullable TlsSession resume) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            TlsClientProtocol protocol = new TlsClientProtocol(socket.getInputStream(), socket.getOutputStream());
            Client client = new Client(offerEms, resume);
            protocol.connect(client);
            protocol.close();
            return new BcTls12Handshake(client.session, client.resumed);
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
                    // the tests trust their own server; certificate checks are tested elsewhere
                }
            };
        }
    }
}
