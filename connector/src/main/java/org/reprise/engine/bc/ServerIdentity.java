package org.reprise.engine.bc;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The server's private key and its certificate chain, leaf first.
 *
 * @param privateKey an RSA or EC private key
 * @param chain      the certificate chain, leaf first; not empty
 */
record ServerIdentity(PrivateKey privateKey, List<X509Certificate> chain) {

    /** Checks the chain and freezes it. */
    public ServerIdentity {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("A server identity needs at least one certificate");
        }
    }

    /** @return whether the key is an EC key (else RSA) */
    public boolean isEc() {
        return "EC".equals(privateKey.getAlgorithm());
    }
}
