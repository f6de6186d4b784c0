package org.reprise.store.jdbc;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionRecord;

/**
 * Maps session records to rows of the {@code sessions} table and back. The secret state is sealed on the
 * way in and opened on the way out; listings never open it.
 *
 * <p>Every column that decides whether a session may resume (ID, origin, realm, protocol, cipher suite,
 * SSLHostConfig, SNI name, engine, peer identity, creation, authentication and expiry) is bound to the sealed secret as associated data, so
 * that someone who can write to the table but has no data key cannot change one without the row failing
 * to open: it is then a bad row, never a session that resumes where it should not. The node, the last
 * resumption and the resume count are for people only and stay unbound, so that recording a resumption is
 * a small update of two columns.
 */
final class SessionRows {

    /** The columns anyone may see, in the order {@link #bind} and the readers use. */
    static final List<String> PUBLIC_COLUMNS = List.of("id", "protocol", "cipher_suite", "host_config",
            "sni_host", "node", "engine", "peer_identity", "created", "expires", "last_resumed", "resume_count", "origin",
            "realm", "authenticated");
    /** Every column, the public ones first. */
    static final List<String> ALL_COLUMNS =
            Stream.concat(PUBLIC_COLUMNS.stream(), Stream.of("key_id", "secret")).toList();

    /** Rows sealed under an earlier format (v1 bound the ID alone, v2 no realm nor line) no longer open. */
    private static final String PURPOSE = "reprise session secret v3";
    private static final byte[] NO_SECRET = new byte[0];

    private final SecretCipher cipher;

    SessionRows(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** Sets the parameters 1 to 17 of a statement over {@link #ALL_COLUMNS} to {@code r}'s values. */
    void bind(PreparedStatement ps, SessionRecord r) throws SQLException {
        ps.setString(1, r.id().hex());
        ps.setString(2, r.protocol());
        ps.setString(3, r.cipherSuite());
        ps.setString(4, r.hostConfig());
        setString(ps, 5, r.sniHost());
        setString(ps, 6, r.node());
        ps.setString(7, r.engine());
        setString(ps, 8, r.peerIdentity());
        ps.setLong(9, r.created().toEpochMilli());
        ps.setLong(10, r.expires().toEpochMilli());
        Instant lastResumed = r.lastResumed();
        if (lastResumed == null) {
            ps.setNull(11, Types.BIGINT);
        } else {
            ps.setLong(11, lastResumed.toEpochMilli());
        }
        ps.setLong(12, r.resumeCount());
        ps.setString(13, r.origin().hex());
        ps.setString(14, r.realm());
        ps.setLong(15, r.authenticated().toEpochMilli());
        byte[] secret = r.secretState();
        SecretCipher.Sealed sealed = cipher.seal(secret, associatedData(r.id().hex(), r.origin().hex(), r.realm(),
                r.protocol(), r.cipherSuite(), r.hostConfig(), r.sniHost(), r.engine(), r.peerIdentity(),
                r.created().toEpochMilli(), r.authenticated().toEpochMilli(), r.expires().toEpochMilli()));
        Arrays.fill(secret, (byte) 0);
        ps.setString(16, sealed.keyId());
        ps.setBytes(17, sealed.bytes());
    }

    /**
     * Reads a row selected with {@link #ALL_COLUMNS}.
     *
     * @return the record, or null if its secret does not open with this node's data keys or its fields
     *         do not make a record
     */
    @Nullable SessionRecord readWithSecret(ResultSet rs) throws SQLException {
        try {
            SessionRecord.Builder b = readPublic(rs);
            byte[] secret = cipher.open(rs.getString(16), rs.getBytes(17), associatedData(rs.getString(1),
                    rs.getString(13), rs.getString(14), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getString(7), rs.getString(8), rs.getLong(9), rs.getLong(15),
                    rs.getLong(10)));
            if (secret == null) {
                return null;
            }
            SessionRecord record = b.secretState(secret).build();
            Arrays.fill(secret, (byte) 0);
            return record;
        } catch (IllegalArgumentException | NullPointerException badFields) {
            return null;
        }
    }

    /**
     * Reads a row selected with {@link #PUBLIC_COLUMNS}, for a listing: the record's secret state is empty.
     *
     * @return the record, or null if its fields do not make one
     */
    @Nullable SessionRecord readListed(ResultSet rs) throws SQLException {
        try {
            return readPublic(rs).secretState(NO_SECRET).build();
        } catch (IllegalArgumentException | NullPointerException badFields) {
            return null;
        }
    }

    private static SessionRecord.Builder readPublic(ResultSet rs) throws SQLException {
        long lastResumed = rs.getLong(11);
        boolean neverResumed = rs.wasNull();
        return SessionRecord.builder()
                .id(SessionId.fromHex(rs.getString(1)))
                .protocol(rs.getString(2))
                .cipherSuite(rs.getString(3))
                .hostConfig(rs.getString(4))
                .sniHost(rs.getString(5))
                .node(rs.getString(6))
                .engine(rs.getString(7))
                .peerIdentity(rs.getString(8))
                .created(Instant.ofEpochMilli(rs.getLong(9)))
                .expires(Instant.ofEpochMilli(rs.getLong(10)))
                .lastResumed(neverResumed ? null : Instant.ofEpochMilli(lastResumed))
                .resumeCount(rs.getLong(12))
                .origin(SessionId.fromHex(rs.getString(13)))
                .realm(rs.getString(14))
                .authenticated(Instant.ofEpochMilli(rs.getLong(15)));
    }

    /** The binding columns, each written with its length (or -1 for none), so no two rows read alike. */
    private static byte[] associatedData(String id, String origin, String realm, String protocol, String cipherSuite,
            String hostConfig, @Nullable String sniHost, String engine, @Nullable String peerIdentity, long created,
            long authenticated, long expires) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            for (String field : Arrays.asList(id, origin, realm, protocol, cipherSuite, hostConfig, sniHost, engine,
                    peerIdentity)) {
                if (field == null) {
                    out.writeInt(-1);
                } else {
                    byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(utf8.length);
                    out.write(utf8);
                }
            }
            out.writeLong(created);
            out.writeLong(authenticated);
            out.writeLong(expires);
        } catch (IOException inMemory) {
            throw new UncheckedIOException(inMemory);
        }
        return SecretCipher.associatedData(PURPOSE, bytes.toByteArray());
    }

    private static void setString(PreparedStatement ps, int index, @Nullable String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
