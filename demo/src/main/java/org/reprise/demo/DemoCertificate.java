package org.reprise.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The demo's server certificate: a self-signed ECDSA P-256 certificate for {@code CN=localhost}
 * (SAN {@code DNS:localhost}, {@code IP:127.0.0.1}), valid one year, made on first start and reused after.
 *
 * <p>It lives in the data directory as a PKCS12 key store, {@value #KEYSTORE_FILE} (alias
 * {@value #ALIAS}), whose random password is in {@value #PASSWORD_FILE}; both files are made with mode
 * 600 where the file system has POSIX permissions. Delete both to get a new certificate.
 *
 * @param keystore     the PKCS12 file
 * @param passwordFile the file holding its password
 * @param password     the key store password
 * @param certificate  the certificate
 * @param created      whether this start made it
 */
public record DemoCertificate(Path keystore, Path passwordFile, String password, X509Certificate certificate,
        boolean created) {

    /** The key store's file name in the data directory. */
    public static final String KEYSTORE_FILE = "localhost.p12";
    /** The password file's name in the data directory. */
    public static final String PASSWORD_FILE = "localhost.p12.password";
    /** The key's alias in the key store (Tomcat's default). */
    public static final String ALIAS = "tomcat";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Duration VALIDITY = Duration.ofDays(365);

    /**
     * Loads the certificate from the data directory, making it first if it is not there.
     *
     * @param dataDir the data directory, which must exist
     * @return the certificate and where it is
     * @throws IOException if the files cannot be read or written, or do not hold a usable key
     */
    public static DemoCertificate loadOrCreate(Path dataDir) throws IOException {
        Path keystore = dataDir.resolve(KEYSTORE_FILE);
        Path passwordFile = dataDir.resolve(PASSWORD_FILE);
        if (Files.exists(keystore)) {
            return load(keystore, passwordFile);
        }
        return create(keystore, passwordFile);
    }

    private static DemoCertificate load(Path keystore, Path passwordFile) throws IOException {
        if (!Files.exists(passwordFile)) {
            throw new IOException(keystore + " exists but its password file " + passwordFile
                    + " does not; delete " + keystore + " to make a new certificate");
        }
        String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        KeyStore ks;
        try (InputStream in = Files.newInputStream(keystore)) {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("Cannot read " + keystore + " with the password in " + passwordFile + " ("
                    + e.getMessage() + "); delete both files to make a new certificate", e);
        }
        try {
            if (ks.isKeyEntry(ALIAS) && ks.getCertificate(ALIAS) instanceof X509Certificate certificate) {
                return new DemoCertificate(keystore, passwordFile, password, certificate, false);
            }
        } catch (KeyStoreException e) {
            // reported below
        }
        throw new IOException(keystore + " has no key entry '" + ALIAS + "'; delete " + keystore + " and "
                + passwordFile + " to make a new certificate");
    }

    private static DemoCertificate create(Path keystore, Path passwordFile) throws IOException {
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keyPair = generator.generateKeyPair();
            X509Certificate certificate = selfSigned(keyPair, random);

            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, keyPair.getPrivate(), password.toCharArray(), new Certificate[] {certificate});

            // the password first, the key store last: a key store on disk always has its password
            writePrivately(passwordFile, out -> out.write((password + "\n").getBytes(StandardCharsets.UTF_8)));
            writePrivately(keystore, out -> {
                try {
                    ks.store(out, password.toCharArray());
                } catch (GeneralSecurityException e) {
                    throw new IOException("Cannot write the PKCS12 key store: " + e.getMessage(), e);
                }
            });
            return new DemoCertificate(keystore, passwordFile, password, certificate, true);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("Cannot make the demo certificate: " + e.getMessage(), e);
        }
    }

    private static X509Certificate selfSigned(KeyPair keyPair, SecureRandom random)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, random).setBit(0),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), name, keyPair.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
    }

    @FunctionalInterface
    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes a file readable by its owner only, through a temporary file so it appears whole or not at all. */
    private static void writePrivately(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attributes);
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                writer.write(out);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** @return whether a file other users can read holds the password (always false without POSIX permissions) */
    public boolean passwordFileIsExposed() {
        try {
            if (!Files.getFileStore(passwordFile).supportsFileAttributeView(PosixFileAttributeView.class)) {
                return false;
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(passwordFile);
            return !OWNER_ONLY.containsAll(permissions);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** @return the SHA-256 fingerprint of the certificate, as {@code openssl x509 -fingerprint -sha256} prints it */
    public String sha256Fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** @return when the certificate stops being valid */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    @Override
    public String toString() {
        // never the password
        return "DemoCertificate[" + keystore + ", " + certificate.getSubjectX500Principal().getName()
                + ", SHA-256 " + sha256Fingerprint().toLowerCase(Locale.ROOT) + "]";
    }
}
