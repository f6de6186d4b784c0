package org.reprise.engine.bc;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * The engine's cryptography: the JVM's own providers first, so that AES-GCM and ECDHE run on the JVM's
 * intrinsics, and Bouncy Castle's provider, never installed globally, for the signatures the JVM names
 * differently (RSASSA-PSS with a digest, as TLS 1.3 needs for RSA keys).
 */
final class ServerCrypto extends JcaTlsCrypto {

    /** Stateless once built; built once because building it is slow. */
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    ServerCrypto(SecureRandom random) {
        super(new PlatformFirst(), random, random);
    }

    private static final class PlatformFirst extends DefaultJcaJceHelper {
        @Override
        public Signature createSignature(String algorithm) throws NoSuchAlgorithmException {
            try {
                return super.createSignature(algorithm);
            } catch (NoSuchAlgorithmException e) {
                return Signature.getInstance(algorithm, BOUNCY_CASTLE);
            }
        }
    }
}
