package org.reprise.engine.bc;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SessionParameters;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.jspecify.annotations.Nullable;

/**
 * What the engine needs to resume a TLS 1.2 session, and its byte form: the "secret state" of a
 * {@link org.reprise.core.session.SessionRecord}. Bouncy Castle's {@code SessionParameters} has no
 * serial form of its own, so its fields are written here one by one.
 *
 * <p>Version 2 adds what a resumption re-checks of the client's authentication: the fingerprint of the
 * client-certificate policy the session was made under, whether its client chain was checked by the host's
 * trust manager, and when the client certificate expires (read once here, not parsed on every resumption).
 * State of version 1 does not parse, and its sessions get a full handshake.
 *
 * <p>Server extensions are kept except those that must be negotiated afresh on an abbreviated
 * handshake: replaying {@code session_ticket} would promise a NewSessionTicket that Bouncy Castle never
 * sends on resumption, replaying {@code status_request} makes clients abort, and ALPN is chosen anew.
 */
final class SessionState {

    private static final byte VERSION = 2;
    private static final long NO_PEER = Long.MIN_VALUE;
    private static final int MAX_CHAIN = 10;
    private static final int MAX_EXTENSIONS = 64;
    private static final List<Integer> NOT_REPLAYED = List.of(ExtensionType.session_ticket,
            ExtensionType.status_request, ExtensionType.status_request_v2,
            ExtensionType.application_layer_protocol_negotiation);

    final ProtocolVersion version;
    final int cipherSuite;
    final boolean extendedMasterSecret;
    private final byte[] masterSecret;
    private final Hashtable<Integer, byte[]> serverExtensions;
    final List<byte[]> peerChain;
    final List<byte[]> localChain;
    private final byte[] clientAuthPolicy;
    /** Whether the host's trust manager accepted {@link #peerChain}; false without a chain. */
    final boolean peerVerified;
    /** The end of the client certificate's validity; null without one. */
    final @Nullable Instant peerNotAfter;

    private SessionState(ProtocolVersion version, int cipherSuite, boolean extendedMasterSecret, byte[] masterSecret,
            Hashtable<Integer, byte[]> serverExtensions, List<byte[]> peerChain, List<byte[]> localChain,
            byte[] clientAuthPolicy, boolean peerVerified, @Nullable Instant peerNotAfter) {
        this.version = version;
        this.cipherSuite = cipherSuite;
        this.extendedMasterSecret = extendedMasterSecret;
        this.masterSecret = masterSecret;
        this.serverExtensions = serverExtensions;
        this.peerChain = peerChain;
        this.localChain = localChain;
        this.clientAuthPolicy = clientAuthPolicy;
        this.peerVerified = peerVerified;
        this.peerNotAfter = peerNotAfter;
    }

    /** @return the fingerprint of the client-certificate policy the session was made under (not a copy) */
    byte[] clientAuthPolicy() {
        return clientAuthPolicy;
    }

    /**
     * Captures a handshake's session. The master secret is copied before it is read, because reading a
     * Bouncy Castle secret destroys it.
     *
     * @param clientAuthPolicy the fingerprint of the host's client-certificate policy
     * @param peerVerified     whether the host's trust manager accepted the client's chain
     * @param peerNotAfter     the end of the client certificate's validity, or null without one
     */
    static byte[] capture(TlsCrypto crypto, SecurityParameters params, @Nullable Hashtable<?, ?> serverExtensions,
            byte[] clientAuthPolicy, boolean peerVerified, @Nullable Instant peerNotAfter) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        byte[] secret = crypto.adoptSecret(params.getMasterSecret()).extract();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(params.getNegotiatedVersion().getMajorVersion());
            out.writeByte(params.getNegotiatedVersion().getMinorVersion());
            out.writeShort(params.getCipherSuite());
            out.writeBoolean(params.isExtendedMasterSecret());
            out.writeByte(secret.length);
            out.write(secret);
            List<Integer> types = new ArrayList<>();
            if (serverExtensions != null) {
                for (Enumeration<?> keys = serverExtensions.keys(); keys.hasMoreElements(); ) {
                    Integer type = (Integer) keys.nextElement();
                    if (!NOT_REPLAYED.contains(type)) {
                        types.add(type);
                    }
                }
            }
            out.writeByte(types.size());
            for (Integer type : types) {
                byte[] data = (byte[]) serverExtensions.get(type);
                out.writeShort(type);
                out.writeShort(data.length);
                out.write(data);
            }
            writeChain(out, params.getPeerCertificate());
            writeChain(out, params.getLocalCertificate());
            out.writeByte(clientAuthPolicy.length);
            out.write(clientAuthPolicy);
            out.writeBoolean(peerVerified);
            out.writeLong(peerNotAfter == null ? NO_PEER : peerNotAfter.getEpochSecond());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        return bytes.toByteArray();
    }

    private static void writeChain(DataOutputStream out, @Nullable Certificate chain) throws IOException {
        int length = chain == null ? 0 : chain.getLength();
        out.writeByte(length);
        for (int i = 0; i < length; i++) {
            byte[] der = chain.getCertificateAt(i).getEncoded();
            out.writeInt(der.length);
            out.write(der);
        }
    }

    /**
     * Reads state written by {@link #capture}.
     *
     * @throws IllegalArgumentException if the bytes are not such state; the message says nothing of
     *                                  their content
     */
    static SessionState parse(byte[] state) {
        ByteBuffer in = ByteBuffer.wrap(state);
        try {
            require(in.get() == VERSION, "unknown state version");
            ProtocolVersion version = ProtocolVersion.get(in.get() & 0xFF, in.get() & 0xFF);
            require(version.isTLS() && !TlsUtils.isTLSv13(version), "not a resumable TLS version");
            int cipherSuite = in.getShort() & 0xFFFF;
            require(CipherSuites.name(cipherSuite) != null, "cipher suite not implemented");
            boolean ems = in.get() != 0;
            int secretLength = in.get() & 0xFF;
            require(secretLength == 48, "master secret length");
            byte[] secret = new byte[secretLength];
            in.get(secret);
            int extensionCount = in.get() & 0xFF;
            require(extensionCount <= MAX_EXTENSIONS, "too many extensions");
            Hashtable<Integer, byte[]> extensions = new Hashtable<>();
            for (int i = 0; i < extensionCount; i++) {
                int type = in.getShort() & 0xFFFF;
                byte[] data = new byte[in.getShort() & 0xFFFF];
                in.get(data);
                require(!NOT_REPLAYED.contains(type) && extensions.put(type, data) == null, "bad extension");
            }
            List<byte[]> peerChain = readChain(in);
            List<byte[]> localChain = readChain(in);
            int policyLength = in.get() & 0xFF;
            require(policyLength > 0, "no client-certificate policy");
            byte[] policy = new byte[policyLength];
            in.get(policy);
            boolean peerVerified = in.get() != 0;
            long notAfter = in.getLong();
            // a chain and its expiry come together: a state with one and not the other was not written here
            require((notAfter == NO_PEER) == peerChain.isEmpty(), "client certificate expiry");
            require(!peerVerified || !peerChain.isEmpty(), "verified without a chain");
            Instant peerNotAfter;
            try {
                peerNotAfter = notAfter == NO_PEER ? null : Instant.ofEpochSecond(notAfter);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("client certificate expiry out of range");
            }
            require(!in.hasRemaining(), "trailing bytes");
            return new SessionState(version, cipherSuite, ems, secret, extensions, peerChain, localChain, policy,
                    peerVerified, peerNotAfter);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated session state");
        }
    }

    private static List<byte[]> readChain(ByteBuffer in) {
        int count = in.get() & 0xFF;
        require(count <= MAX_CHAIN, "chain too long");
        List<byte[]> chain = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = in.getInt();
            require(length > 0 && length <= in.remaining(), "bad certificate length");
            byte[] der = new byte[length];
            in.get(der);
            chain.add(der);
        }
        return List.copyOf(chain);
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Builds the parameters Bouncy Castle resumes from. Each call makes a new master secret object,
     * because Bouncy Castle destroys the secret of a session it decides not to resume. A session whose
     * first handshake presented the host's current chain gets the host's parsed chain, so that resuming
     * parses no certificate.
     *
     * @param ownChain       the host's chain, encoded, leaf first
     * @param ownCertificate the same chain as Bouncy Castle presents it in TLS 1.2
     *
     * @throws IOException if a stored certificate does not parse
     */
    SessionParameters toParameters(TlsCrypto crypto, List<byte[]> ownChain, Certificate ownCertificate)
            throws IOException {
        TlsSecret secret = crypto.createSecret(masterSecret);
        return new SessionParameters.Builder()
                .setNegotiatedVersion(version)
                .setCipherSuite(cipherSuite)
                .setExtendedMasterSecret(extendedMasterSecret)
                .setMasterSecret(secret)
                .setServerExtensions(new Hashtable<>(serverExtensions))
                .setPeerCertificate(toCertificate(crypto, peerChain))
                .setLocalCertificate(sameChain(localChain, ownChain) ? ownCertificate : toCertificate(crypto, localChain))
                .build();
    }

    private static boolean sameChain(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static Certificate toCertificate(TlsCrypto crypto, List<byte[]> chain) throws IOException {
        TlsCertificate[] certificates = new TlsCertificate[chain.size()];
        for (int i = 0; i < certificates.length; i++) {
            try {
                certificates[i] = crypto.createCertificate(chain.get(i));
            } catch (IllegalArgumentException notACertificate) {
                // Bouncy Castle reports DER that is not a certificate this way, not as an IOException
                throw new IOException("a stored certificate does not parse", notACertificate);
            }
        }
        return new Certificate(certificates);
    }
}
