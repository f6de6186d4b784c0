package org.reprise.engine.bc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.jspecify.annotations.Nullable;
import org.reprise.core.internal.ResumptionContext;

/**
 * Everything the engines of one server certificate share: the key and chain, the trust manager for
 * client certificates, the host's resumption policy and the connector's {@link ResumptionContext}.
 * Makes a fresh {@link SSLEngine} per connection. Thread-safe and immutable.
 *
 * <p>Cryptography goes through the JVM's own providers where they can (see {@code ServerCrypto}).
 */
final class BcServerContext {

    /** The protocols the engine speaks, in JSSE's spelling. */
    public static final List<String> SUPPORTED_PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

    /** The name engines give themselves in session records. */
    public static final String ENGINE_NAME = "bc";

    final JcaTlsCrypto crypto;
    final ServerIdentity identity;
    final @Nullable X509TrustManager trustManager;
    final HostPolicy policy;
    final ResumptionContext resumption;
    final Certificate chain12;
    /** {@link #chain12}'s certificates, encoded, to recognise the host's chain in a stored session. */
    final List<byte[]> encodedChain;
    final Certificate chain13;
    final Vector<X500Name> acceptedIssuers;

    /**
     * @param identity     the server key and certificate chain
     * @param trustManager checks client certificates; null if client certificates are never asked for
     * @param policy       the host's resumption rules
     * @param resumption   the connector's store, keys and counters
     * @param random       the randomness for handshakes
     */
    public BcServerContext(ServerIdentity identity, @Nullable X509TrustManager trustManager, HostPolicy policy,
            ResumptionContext resumption, SecureRandom random) {
        this.crypto = new ServerCrypto(random);
        this.identity = identity;
        this.trustManager = trustManager;
        this.policy = policy;
        this.resumption = resumption;
        TlsCertificate[] certificates = identity.chain().stream().map(this::toTls).toArray(TlsCertificate[]::new);
        this.chain12 = new Certificate(certificates);
        this.encodedChain = encoded(certificates);
        CertificateEntry[] entries = new CertificateEntry[certificates.length];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = new CertificateEntry(certificates[i], null);
        }
        this.chain13 = new Certificate(TlsUtils.EMPTY_BYTES, entries);
        this.acceptedIssuers = new Vector<>();
        if (trustManager != null) {
            for (X509Certificate issuer : trustManager.getAcceptedIssuers()) {
                acceptedIssuers.add(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()));
            }
        }
    }

    private static List<byte[]> encoded(TlsCertificate[] certificates) {
        List<byte[]> result = new ArrayList<>(certificates.length);
        for (TlsCertificate certificate : certificates) {
            try {
                result.add(certificate.getEncoded());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(result);
    }

    private TlsCertificate toTls(X509Certificate certificate) {
        try {
            return crypto.createCertificate(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("Server certificate cannot be encoded", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every cipher suite the engine implements, for any key, by IANA name */
    public static List<String> implementedCipherSuites() {
        return CipherSuites.ALL;
    }

    /** @return the cipher suites this context's key can serve, TLS 1.3 first, by IANA name */
    public List<String> supportedCipherSuites() {
        return CipherSuites.forKey(identity.isEc());
    }

    /** @return the host's resumption rules */
    public HostPolicy policy() {
        return policy;
    }

    /** @return a server-mode engine for one connection */
    public SSLEngine newEngine() {
        return new BcSslEngine(this);
    }
}
