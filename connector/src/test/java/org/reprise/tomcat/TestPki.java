package org.reprise.tomcat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test keys and certificates: a CA, server certificates it signs (EC or RSA), and client certificates. */
public final class TestPki {

    public static final String PASSWORD = "changeit";

    private static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);

    final KeyPair caKeys;
    final X509Certificate ca;

    public TestPki() throws Exception {
        caKeys = ec();
        ca = sign("CN=Reprise Test CA", caKeys, "CN=Reprise Test CA", caKeys.getPrivate(), true, DEFAULT_VALIDITY);
    }

    public record Issued(KeyPair keys, X509Certificate certificate) {
    }

    public Issued server(String host, boolean rsa) throws Exception {
        KeyPair keys = rsa ? rsa() : ec();
        return new Issued(keys, sign("CN=" + host, keys, "CN=Reprise Test CA", caKeys.getPrivate(), false,
                DEFAULT_VALIDITY, host));
    }

    Issued client(String name) throws Exception {
        return client(name, DEFAULT_VALIDITY);
    }

    /** A client certificate valid from a day ago until {@code validFor} from now, to see a certificate expire. */
    Issued client(String name, Duration validFor) throws Exception {
        KeyPair keys = ec();
        return new Issued(keys, sign("CN=" + name, keys, "CN=Reprise Test CA", caKeys.getPrivate(), false, validFor));
    }

    /** Writes a PKCS12 keystore with the key under alias "tomcat". */
    public Path pkcs12(Path dir, String name, Issued issued) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("tomcat", issued.keys().getPrivate(), PASSWORD.toCharArray(),
                new X509Certificate[] {issued.certificate(), ca});
        Path file = dir.resolve(name + ".p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    /** Writes name.crt and name.key (PEM); returns the certificate file. */
    Path pem(Path dir, String name, Issued issued) throws IOException {
        Files.writeString(dir.resolve(name + ".crt"), pem(issued.certificate()));
        Files.writeString(dir.resolve(name + ".key"), pem(new JcaPKCS8Generator(issued.keys().getPrivate(), null)));
        return dir.resolve(name + ".crt");
    }

    Path caPem(Path dir) throws IOException {
        Path file = dir.resolve("ca.crt");
        Files.writeString(file, pem(ca));
        return file;
    }

    Path truststore(Path dir) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        Path file = dir.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    /** An SSLContext for JDK clients that trusts the test CA. */
    public SSLContext clientContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(o);
        }
        return w.toString();
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
            boolean ca, Duration validFor, String... dnsNames) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(new SecureRandom().nextInt(1 << 20))),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(validFor)),
                new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (dnsNames.length > 0) {
            GeneralName[] names = new GeneralName[dnsNames.length];
            for (int i = 0; i < names.length; i++) {
                names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        String algorithm = "EC".equals(issuerKey.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    }

    /**
     * Makes {@code host} check client certificates against {@code truststore} (one written by this class).
     *
     * @param verification Tomcat's {@code certificateVerification}: {@code required}, {@code optional}, ...
     */
    public static void trustClients(SSLHostConfig host, Path truststore, String verification) {
        host.setTruststoreFile(truststore.toString());
        host.setTruststorePassword(PASSWORD);
        host.setTruststoreType("PKCS12");
        host.setCertificateVerification(verification);
    }
}
