package org.reprise.tomcat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.jspecify.annotations.Nullable;

/**
 * The fingerprint of an SSLHostConfig's client-certificate policy: its {@code certificateVerification} mode
 * and the trust anchors it accepts client certificates under. Every session is bound to the fingerprint of
 * the host that made it and resumes only where the fingerprint is the same, so a certificate accepted under
 * a lenient policy (no verification, {@code optionalNoCA}, another CA) is never taken for one checked under
 * a stricter policy, on another connector or after a configuration change.
 */
public final class ClientAuthPolicy {

    /** The length of a fingerprint, in bytes. */
    public static final int LENGTH = 16;

    private ClientAuthPolicy() {
    }

    /**
     * @param host the SSLHostConfig
     * @param tms  the trust managers Tomcat built for it, or null
     * @return the fingerprint of its policy, {@value #LENGTH} bytes; equal for equal policies, whatever the order
     *         of the trust anchors
     */
    public static byte[] fingerprint(SSLHostConfig host, TrustManager @Nullable [] tms) {
        SSLHostConfig.CertificateVerification mode = host.getCertificateVerification();
        List<byte[]> anchors = new ArrayList<>();
        if (mode != SSLHostConfig.CertificateVerification.NONE && tms != null) {
            for (TrustManager tm : tms) {
                if (tm instanceof X509TrustManager x509) {
                    for (X509Certificate anchor : x509.getAcceptedIssuers()) {
                        anchors.add(sha256(encoded(anchor)));
                    }
                }
            }
        }
        anchors.sort(Arrays::compare);
        MessageDigest digest = digest();
        digest.update("reprise client auth v1".getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) 0);
        digest.update(mode.name().getBytes(StandardCharsets.US_ASCII));
        for (byte[] anchor : anchors) {
            digest.update((byte) 0);
            digest.update(anchor);
        }
        return Arrays.copyOf(digest.digest(), LENGTH);
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("A trusted certificate cannot be encoded: "
                    + certificate.getSubjectX500Principal(), e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        return digest().digest(bytes);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
