package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Edits {@code openssl s_client -sess_out} files: PEM "SSL SESSION PARAMETERS" around OpenSSL's DER
 * {@code SSL_SESSION_ASN1} SEQUENCE {version, ssl_version, cipher, session_id, master_key, ...}. A client that
 * resumes from the edited file offers whatever session ID the test chose, next to its own ticket.
 */
final class OpenSslSessionFiles {

    private static final int SESSION_ID_FIELD = 3;

    private OpenSslSessionFiles() {
    }

    /** Writes {@code to}: the session of {@code from} with {@code sessionId} as its session ID. */
    static void withSessionId(Path from, Path to, byte[] sessionId) throws IOException {
        PemObject pem;
        try (Reader in = Files.newBufferedReader(from); PemReader reader = new PemReader(in)) {
            pem = reader.readPemObject();
        }
        assertEquals("SSL SESSION PARAMETERS", pem.getType());
        ASN1EncodableVector fields = new ASN1EncodableVector();
        int index = 0;
        for (ASN1Encodable field : ASN1Sequence.getInstance(pem.getContent())) {
            fields.add(index++ == SESSION_ID_FIELD ? new DEROctetString(sessionId) : field);
        }
        byte[] der = new DERSequence(fields).getEncoded(ASN1Encoding.DER);
        try (Writer out = Files.newBufferedWriter(to); PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(pem.getType(), der));
        }
    }
}
