package org.reprise.engine.bc;

import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.apache.tomcat.util.net.SSLContext;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.jspecify.annotations.Nullable;
import org.reprise.tomcat.ClientAuthPolicy;
import org.reprise.tomcat.ConnectorBinding;

/**
 * Tomcat's SSLContext for one certificate: holds the key, chain and trust manager Tomcat loaded, and makes
 * a Reprise engine per connection. The engine context is made on the first connection, when the
 * connector's store and key ring exist.
 */
final class BcSslContext implements SSLContext {

    private final SSLHostConfig host;
    private final SSLHostConfigCertificate certificate;
    private final ConnectorBinding resumption;
    private @Nullable ServerIdentity identity;
    private @Nullable X509TrustManager trustManager;
    private @Nullable SecureRandom random;
    private @Nullable HostPolicy policy;
    private volatile @Nullable BcServerContext serverContext;

    BcSslContext(SSLHostConfig host, SSLHostConfigCertificate certificate, ConnectorBinding resumption) {
        this.host = host;
        this.certificate = certificate;
        this.resumption = resumption;
    }

    @Override
    public void init(KeyManager[] kms, TrustManager[] tms, @Nullable SecureRandom sr) throws KeyManagementException {
        try {
            identity = identity(kms);
            trustManager = trustManager(tms);
        } catch (KeyStoreException e) {
            throw new KeyManagementException(e.getMessage(), e);
        }
        random = sr != null ? sr : new SecureRandom();
        Duration timeout = resumption.sessionTimeout(host);
        // The fingerprint is of the trust manager the engine checks client certificates with, which for a host
        // without a truststore is the JVM's default one: its anchors, not Tomcat's null, are the policy
        TrustManager[] checking = trustManager == null ? null : new TrustManager[] {trustManager};
        policy = new HostPolicy(host.getHostName(), timeout, !host.getDisableSessionTickets(),
                resumption.settings().allowLegacyResumption(), ClientAuthPolicy.fingerprint(host, checking));
        resumption.open();
    }

    private ServerIdentity identity(KeyManager @Nullable [] kms) throws KeyStoreException {
        if (kms != null) {
            for (KeyManager km : kms) {
                if (km instanceof X509KeyManager x509) {
                    for (String keyType : List.of("EC", "RSA")) {
                        String alias = x509.chooseServerAlias(keyType, null, null);
                        PrivateKey key = alias == null ? null : x509.getPrivateKey(alias);
                        X509Certificate[] chain = alias == null ? null : x509.getCertificateChain(alias);
                        if (key != null && chain != null && chain.length > 0 && keyType.equals(key.getAlgorithm())) {
                            return new ServerIdentity(key, List.of(chain));
                        }
                    }
                }
            }
        }
        throw new KeyStoreException("SSLHostConfig " + host.getHostName() + ": no RSA or EC private key with a "
                + "certificate chain was found for " + certificate.getType() + " certificate; check certificateFile/"
                + "certificateKeyFile or certificateKeystoreFile and certificateKeyAlias");
    }

    private @Nullable X509TrustManager trustManager(TrustManager @Nullable [] tms) throws KeyStoreException {
        if (tms != null) {
            for (TrustManager tm : tms) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
        }
        if (host.getCertificateVerification() == SSLHostConfig.CertificateVerification.NONE) {
            return null;
        }
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return trustManager(factory.getTrustManagers());
        } catch (NoSuchAlgorithmException e) {
            throw new KeyStoreException("No default trust manager for client certificates", e);
        }
    }

    private BcServerContext serverContext() {
        BcServerContext made = serverContext;
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (serverContext == null) {
                if (identity == null || policy == null || random == null) {
                    throw new IllegalStateException("SSLContext used before init");
                }
                serverContext = new BcServerContext(identity, trustManager, policy, resumption.context(), random);
            }
            return serverContext;
        }
    }

    @Override
    public void destroy() {
        resumption.close();
    }

    @Override
    public @Nullable SSLSessionContext getServerSessionContext() {
        return null;
    }

    @Override
    public SSLEngine createSSLEngine() {
        return serverContext().newEngine();
    }

    @Override
    public SSLServerSocketFactory getServerSocketFactory() {
        throw new UnsupportedOperationException("Reprise serves NIO and NIO2 connectors only");
    }

    @Override
    public SSLParameters getSupportedSSLParameters() {
        return new SSLParameters(BcServerContext.implementedCipherSuites().toArray(String[]::new),
                BcServerContext.SUPPORTED_PROTOCOLS.toArray(String[]::new));
    }

    @Override
    public X509Certificate @Nullable [] getCertificateChain(String alias) {
        return identity == null ? null : identity.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trustManager == null ? new X509Certificate[0] : trustManager.getAcceptedIssuers();
    }
}
