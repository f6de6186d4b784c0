package org.reprise.engine.bc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.NewSessionTicket;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.util.Integers;
import org.jspecify.annotations.Nullable;
import org.reprise.core.internal.policy.Binding;
import org.reprise.core.internal.policy.Offer;
import org.reprise.core.internal.policy.ResumptionPolicy;
import org.reprise.core.internal.policy.ServerNames;
import org.reprise.core.internal.session.SessionRecordCodec;
import org.reprise.core.internal.ticket.TicketSealer;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.metrics.Protocol;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionLifetime;
import org.reprise.core.session.SessionRecord;

/**
 * The Bouncy Castle {@code TlsServer} of one connection: picks credentials, checks client certificates,
 * and decides resumption through Reprise's store and ticket keys.
 *
 * <p>Resumption is only granted where the session would have been accepted fresh; every check that
 * Bouncy Castle would otherwise turn into an aborted handshake (cipher suite no longer offered, extended
 * master secret missing) is made here first, so a refused session always means a full handshake.
 */
final class ResumingTlsServer extends DefaultTlsServer {

    private static final Integer SERVER_NAME = Integers.valueOf(ExtensionType.server_name);
    private static final Integer SESSION_TICKET = Integers.valueOf(ExtensionType.session_ticket);
    private static final Integer PRE_SHARED_KEY = Integers.valueOf(ExtensionType.pre_shared_key);
    private static final int SESSION_ID_LENGTH = 32;

    private final BcServerContext host;
    private final EngineOptions options;
    private final ResumptionMetrics metrics;

    private @Nullable String sniHost;
    private boolean clientSupportsTickets;
    private byte @Nullable [] offeredTicket;
    private boolean pskOfferCounted;
    private @Nullable Mechanism resumingBy;
    private @Nullable SessionRecord resumingRecord;
    private @Nullable SessionRecord issuedRecord;
    private @Nullable BcSslSession completedSession;
    /** Whether this handshake's client chain passed the host's trust manager. */
    private boolean clientChainVerified;

    ResumingTlsServer(BcServerContext host, EngineOptions options) {
        super(host.crypto);
        this.host = host;
        this.options = options;
        this.metrics = host.resumption.metrics();
    }

    @Nullable BcSslSession completedSession() {
        return completedSession;
    }

    @Nullable ProtocolName negotiatedApplicationProtocol() {
        SecurityParameters params = context == null ? null : context.getSecurityParameters();
        return params == null ? null : params.getApplicationProtocol();
    }

    // ---- what this server offers

    @Override
    public ProtocolVersion[] getProtocolVersions() {
        return options.protocolVersions;
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return options.cipherSuites;
    }

    @Override
    protected boolean preferLocalCipherSuites() {
        return options.preferServerOrder;
    }

    @Override
    protected Vector<ProtocolName> getProtocolNames() {
        return options.applicationProtocols;
    }

    @Override
    public boolean allowLegacyResumption() {
        return host.policy.allowLegacyResumption();
    }

    // ---- the client's offer

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        sniHost = ServerNames.fromExtension((byte[]) clientExtensions.get(SERVER_NAME));
        boolean tls13 = TlsUtils.isTLSv13(context.getServerVersion());
        if (tls13) {
            if (!pskOfferCounted && clientExtensions.containsKey(PRE_SHARED_KEY)) {
                pskOfferCounted = true;
                metrics.requested(Mechanism.TLS13_PSK);
                metrics.missed(MissReason.ENGINE_UNSUPPORTED);
            }
            return;
        }
        clientSupportsTickets = clientExtensions.containsKey(SESSION_TICKET);
        byte[] ticket = (byte[]) clientExtensions.get(SESSION_TICKET);
        offeredTicket = host.policy.ticketsEnabled() && ticket != null && ticket.length > 0 ? ticket : null;
    }

    // ---- resumption

    @Override
    public @Nullable TlsSession getSessionToResume(byte[] sessionID) {
        if (offeredTicket != null) {
            metrics.requested(Mechanism.TICKET);
            return resumeFromTicket(offeredTicket, sessionID);
        }
        if (sessionID.length > 0) {
            metrics.requested(Mechanism.SESSION_ID);
            return resumeFromStore(sessionID);
        }
        return null;
    }

    private @Nullable TlsSession resumeFromTicket(byte[] ticket, byte[] sessionID) {
        if (sessionID.length == 0) {
            // Bouncy Castle cannot resume a session whose ID is empty, and RFC 5077 clients that send no
            // ID expect none back; such a client gets a full handshake and a fresh ticket.
            return miss(MissReason.ENGINE_UNSUPPORTED);
        }
        TicketSealer.Opened opened = host.resumption.sealer().open(ticket);
        if (opened.plaintext() == null) {
            return miss(Objects.requireNonNull(opened.refusal()));
        }
        SessionRecord record;
        try {
            record = SessionRecordCodec.decode(opened.plaintext());
        } catch (SessionRecordCodec.MalformedRecordException e) {
            return miss(MissReason.TICKET_INVALID);
        }
        // A ticket outlives a purge of its session unless checked here: the store no longer knows the session,
        // and neither should the ticket it issued
        try {
            if (host.resumption.store().isPurged(record, host.resumption.clock().instant())) {
                return miss(MissReason.UNKNOWN);
            }
        } catch (RuntimeException e) {
            metrics.storeError();
            return miss(MissReason.STORE_ERROR);
        }
        return resume(record, sessionID, Mechanism.TICKET);
    }

    private @Nullable TlsSession resumeFromStore(byte[] sessionID) {
        SessionId id;
        try {
            id = SessionId.of(sessionID);
        } catch (IllegalArgumentException e) {
            return miss(MissReason.UNKNOWN);
        }
        SessionRecord record;
        try {
            record = host.resumption.store().retrieve(id, host.resumption.clock().instant());
        } catch (RuntimeException e) {
            metrics.storeError();
            return miss(MissReason.STORE_ERROR);
        }
        if (record == null) {
            return miss(MissReason.UNKNOWN);
        }
        TlsSession session = resume(record, sessionID, Mechanism.SESSION_ID);
        if (session != null) {
            resumingRecord = record;
        }
        return session;
    }

    /**
     * Resumes a found session if {@link ResumptionPolicy} accepts it (the expiry sealed in a ticket holds even
     * where the host's timeout has since been raised, as the store's does for the sessions it keeps). State that
     * does not parse is junk: from a ticket it is an invalid ticket; from the store it is a bad row, which is
     * removed so it costs only once, by its own realm only (a node never deletes what is not its own to read).
     */
    private @Nullable TlsSession resume(SessionRecord record, byte[] sessionID, Mechanism mechanism) {
        MissReason unreadable = mechanism == Mechanism.TICKET ? MissReason.TICKET_INVALID : MissReason.STORE_ERROR;
        if (!BcServerContext.ENGINE_NAME.equals(record.engine())) {
            // another engine's state is not ours to parse (the policy's first rule)
            return miss(MissReason.ENGINE_UNSUPPORTED);
        }
        SessionState state;
        try {
            state = SessionState.parse(record.secretState());
        } catch (IllegalArgumentException e) {
            if (mechanism == Mechanism.SESSION_ID && record.realm().equals(host.resumption.realm())) {
                forget(record.id());
            }
            return miss(unreadable);
        }
        try {
            MissReason refusal = ResumptionPolicy.check(binding(record, state), offer());
            if (refusal != null) {
                return miss(refusal);
            }
            TlsSession session = TlsUtils.importSession(sessionID,
                    state.toParameters(getCrypto(), host.encodedChain, host.chain12));
            resumingBy = mechanism;
            return session;
        } catch (IOException | RuntimeException e) {
            return miss(unreadable);
        }
    }

    /** What a found session is bound to: the record's facts, and the client-auth and EMS facts of its state. */
    private static Binding binding(SessionRecord record, SessionState state) {
        return new Binding(record.engine(), record.realm(), record.hostConfig(), record.sniHost(),
                protocolName(state.version), state.cipherSuite, state.extendedMasterSecret, state.clientAuthPolicy(),
                state.peerVerified, record.created(), record.authenticated(), record.expires(), state.peerNotAfter);
    }

    /** What this ClientHello and host offer a found session. */
    private Offer offer() throws IOException {
        return new Offer(BcServerContext.ENGINE_NAME, host.resumption.realm(), host.policy.hostConfig(), sniHost,
                protocolName(context.getServerVersion()), offeredCipherSuites, options.cipherSuites,
                TlsExtensionsUtils.hasExtendedMasterSecretExtension(clientExtensions), allowLegacyResumption(),
                host.policy.clientAuthPolicy(), options.needClientAuth, host.policy.sessionTimeout(),
                host.resumption.clock().instant());
    }

    private void forget(SessionId id) {
        try {
            host.resumption.store().remove(id);
        } catch (RuntimeException e) {
            metrics.storeError();
        }
    }

    private @Nullable TlsSession miss(MissReason reason) {
        metrics.missed(reason);
        return null;
    }

    @Override
    public byte[] getNewSessionID() {
        byte[] id = new byte[SESSION_ID_LENGTH];
        getCrypto().getSecureRandom().nextBytes(id);
        return id;
    }

    @Override
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        if (clientSupportsTickets && host.policy.ticketsEnabled() && !TlsUtils.isTLSv13(context)) {
            extensions.put(SESSION_TICKET, TlsUtils.EMPTY_BYTES);
        }
        return extensions;
    }

    @Override
    public NewSessionTicket getNewSessionTicket() {
        SessionRecord record = newRecord(context.getSecurityParametersHandshake());
        issuedRecord = record;
        byte[] ticket = host.resumption.sealer().seal(SessionRecordCodec.encode(record));
        metrics.ticketIssued();
        return new NewSessionTicket(host.policy.sessionTimeout().toSeconds(), ticket);
    }

    // ---- credentials and client certificates

    @Override
    public TlsCredentials getCredentials() throws IOException {
        if (TlsUtils.isTLSv13(context)) {
            return signer(host.chain13, true);
        }
        return super.getCredentials();
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return signer(host.chain12, false);
    }

    @Override
    protected TlsCredentialedSigner getRSASignerCredentials() throws IOException {
        return signer(host.chain12, false);
    }

    private TlsCredentialedSigner signer(Certificate chain, boolean tls13) throws IOException {
        Vector<?> offered = context.getSecurityParametersHandshake().getClientSigAlgs();
        for (SignatureAndHashAlgorithm candidate : signatureAlgorithms(tls13)) {
            if (offered == null || offered.contains(candidate)) {
                return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), host.crypto,
                        host.identity.privateKey(), chain, candidate);
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "No signature algorithm in common");
    }

    private List<SignatureAndHashAlgorithm> signatureAlgorithms(boolean tls13) {
        if (host.identity.isEc()) {
            int bits = ((ECKey) host.identity.privateKey()).getParams().getCurve().getField().getFieldSize();
            short hash = bits > 384 ? HashAlgorithm.sha512 : bits > 256 ? HashAlgorithm.sha384 : HashAlgorithm.sha256;
            SignatureAndHashAlgorithm matching = SignatureAndHashAlgorithm.getInstance(hash, SignatureAlgorithm.ecdsa);
            return tls13 ? List.of(matching) : List.of(matching,
                    SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
                    SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha1, SignatureAlgorithm.ecdsa));
        }
        List<SignatureAndHashAlgorithm> pss = List.of(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256,
                SignatureAndHashAlgorithm.rsa_pss_rsae_sha384, SignatureAndHashAlgorithm.rsa_pss_rsae_sha512);
        return tls13 ? pss : List.of(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256,
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha384, SignatureAlgorithm.rsa),
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha1, SignatureAlgorithm.rsa));
    }

    @Override
    public @Nullable CertificateRequest getCertificateRequest() throws IOException {
        if (!options.needClientAuth && !options.wantClientAuth) {
            return null;
        }
        Vector<?> signatureAlgorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        if (TlsUtils.isTLSv13(context)) {
            return new CertificateRequest(TlsUtils.EMPTY_BYTES, signatureAlgorithms, null, host.acceptedIssuers);
        }
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        return new CertificateRequest(types, signatureAlgorithms, host.acceptedIssuers);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            if (options.needClientAuth) {
                throw new TlsFatalAlert(TlsUtils.isTLSv13(context)
                        ? AlertDescription.certificate_required : AlertDescription.handshake_failure,
                        "A client certificate is required");
            }
            return;
        }
        if (host.trustManager == null) {
            throw new TlsFatalAlert(AlertDescription.certificate_unknown, "No trust store for client certificates");
        }
        X509Certificate[] chain = toX509(clientCertificate);
        try {
            host.trustManager.checkClientTrusted(chain, chain[0].getPublicKey().getAlgorithm());
        } catch (CertificateException e) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "Client certificate not trusted", e);
        }
        clientChainVerified = true;
    }

    static X509Certificate[] toX509(@Nullable Certificate chain) throws IOException {
        if (chain == null) {
            return new X509Certificate[0];
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            X509Certificate[] result = new X509Certificate[chain.getLength()];
            for (int i = 0; i < result.length; i++) {
                result[i] = (X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(chain.getCertificateAt(i).getEncoded()));
            }
            return result;
        } catch (CertificateException e) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "Unreadable certificate", e);
        }
    }

    // ---- completion

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        SecurityParameters params = context.getSecurityParametersConnection();
        String protocol = protocolName(params.getNegotiatedVersion());
        Protocol counted = Protocol.of(protocol);
        Instant now = host.resumption.clock().instant();
        boolean resumed = params.isResumedSession();
        if (resumed) {
            metrics.resumed(Objects.requireNonNull(resumingBy), counted);
            if (resumingRecord != null) {
                try {
                    host.resumption.store().recordResumption(resumingRecord.id(), now);
                } catch (RuntimeException e) {
                    metrics.storeError();
                }
            }
        } else {
            if (resumingBy != null) {
                // Bouncy Castle declined a session Reprise accepted
                metrics.missed(MissReason.ENGINE_UNSUPPORTED);
            }
            metrics.fullHandshake(counted);
            if (!TlsUtils.isTLSv13(params.getNegotiatedVersion()) && params.getSessionID().length > 0) {
                storeQuietly(issuedRecord != null ? issuedRecord : newRecord(params));
                metrics.sessionStored();
            }
        }
        // A full handshake presented this host's own chain, already parsed, and so did a resumed session
        // made on this host since its certificate last changed (resume() hands in the host's chain); only
        // an older session's chain needs parsing.
        Certificate local = params.getLocalCertificate();
        X509Certificate[] localChain = resumed && local != host.chain12 ? toX509(local)
                : host.identity.chain().toArray(X509Certificate[]::new);
        // A ticket resumption echoes the session ID the client sent with its ticket (RFC 5077, 3.4): the client
        // chose it, and it may be another client's, so the session does not report it as its own
        boolean idChosenByClient = resumed && resumingBy == Mechanism.TICKET;
        completedSession = BcSslSession.completed(params, protocol, resumed, idChosenByClient,
                toX509(params.getPeerCertificate()), localChain, now,
                host.resumption.store(), getCrypto().getSecureRandom());
    }

    static String protocolName(ProtocolVersion version) {
        if (ProtocolVersion.TLSv13.equals(version)) {
            return "TLSv1.3";
        }
        if (ProtocolVersion.TLSv12.equals(version)) {
            return "TLSv1.2";
        }
        return version.getName();
    }

    private void storeQuietly(SessionRecord record) {
        try {
            host.resumption.store().store(record);
        } catch (RuntimeException e) {
            metrics.storeError();
        }
    }

    private SessionRecord newRecord(SecurityParameters params) {
        Instant now = host.resumption.clock().instant();
        Duration timeout = host.policy.sessionTimeout();
        String peer = null;
        Instant peerNotAfter = null;
        Certificate peerChain = params.getPeerCertificate();
        if (peerChain != null && !peerChain.isEmpty()) {
            try {
                X509Certificate leaf = toX509(peerChain)[0];
                peer = leaf.getSubjectX500Principal().getName();
                peerNotAfter = leaf.getNotAfter().toInstant();
            } catch (IOException e) {
                // notifyClientCertificate parsed this chain already; should it fail now, the session must not
                // outlive a certificate whose end is unknown
                peer = null;
                peerNotAfter = now;
            }
        }
        return SessionRecord.builder()
                .id(SessionId.of(params.getSessionID()))
                .realm(host.resumption.realm())
                .protocol(protocolName(params.getNegotiatedVersion()))
                .cipherSuite(Objects.requireNonNull(CipherSuites.name(params.getCipherSuite())))
                .hostConfig(host.policy.hostConfig())
                .sniHost(sniHost)
                .created(now)
                .authenticated(now)
                .expires(SessionLifetime.expiry(now, now, timeout))
                .peerIdentity(peer)
                .engine(BcServerContext.ENGINE_NAME)
                .node(host.resumption.node())
                .secretState(SessionState.capture(getCrypto(), params, serverExtensions,
                        host.policy.clientAuthPolicy(), clientChainVerified, peerNotAfter))
                .build();
    }
}
