package org.reprise.core.internal.session;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionRecord;

/**
 * A compact, versioned binary form of a {@link SessionRecord}, including its secret state: what goes
 * inside a session ticket. Decoding is strict: any input that is not exactly one well-formed record
 * is rejected with {@link MalformedRecordException}, never with another exception, a hang or a huge
 * allocation.
 *
 * <p>The encoded form holds the secret state in clear; it must only leave memory encrypted.
 */
public final class SessionRecordCodec {

    /** Version 2 added the origin, the realm and the authentication time; version 1 no longer decodes. */
    private static final byte VERSION = 2;
    private static final int MAX_STRING = 1024;
    private static final int MAX_SECRET = 16 * 1024;
    private static final int FLAG_SNI = 1;
    private static final int FLAG_LAST_RESUMED = 2;
    private static final int FLAG_PEER = 4;
    private static final int FLAG_NODE = 8;

    private SessionRecordCodec() {
    }

    /**
     * @param record a session
     * @return its encoded form
     */
    public static byte[] encode(SessionRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            int flags = (record.sniHost() != null ? FLAG_SNI : 0)
                    | (record.lastResumed() != null ? FLAG_LAST_RESUMED : 0)
                    | (record.peerIdentity() != null ? FLAG_PEER : 0)
                    | (record.node() != null ? FLAG_NODE : 0);
            out.writeByte(flags);
            byte[] id = record.id().bytes();
            out.writeByte(id.length);
            out.write(id);
            byte[] origin = record.origin().bytes();
            out.writeByte(origin.length);
            out.write(origin);
            writeString(out, record.realm());
            writeString(out, record.protocol());
            writeString(out, record.cipherSuite());
            writeString(out, record.hostConfig());
            if (record.sniHost() != null) {
                writeString(out, record.sniHost());
            }
            writeInstant(out, record.created());
            writeInstant(out, record.authenticated());
            writeInstant(out, record.expires());
            if (record.lastResumed() != null) {
                writeInstant(out, record.lastResumed());
            }
            out.writeLong(record.resumeCount());
            if (record.peerIdentity() != null) {
                writeString(out, record.peerIdentity());
            }
            writeString(out, record.engine());
            if (record.node() != null) {
                writeString(out, record.node());
            }
            byte[] secret = record.secretState();
            if (secret.length > MAX_SECRET) {
                throw new IllegalArgumentException("secret state longer than " + MAX_SECRET + " bytes");
            }
            out.writeShort(secret.length);
            out.write(secret);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @param encoded bytes from {@link #encode}
     * @return the record
     * @throws MalformedRecordException if the bytes are not one well-formed record
     */
    public static SessionRecord decode(byte[] encoded) throws MalformedRecordException {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        try {
            if (in.get() != VERSION) {
                throw new MalformedRecordException("unknown record version");
            }
            int flags = in.get();
            if ((flags & ~(FLAG_SNI | FLAG_LAST_RESUMED | FLAG_PEER | FLAG_NODE)) != 0) {
                throw new MalformedRecordException("unknown flags");
            }
            SessionRecord.Builder b = SessionRecord.builder()
                    .id(readId(in))
                    .origin(readId(in))
                    .realm(readString(in))
                    .protocol(readString(in))
                    .cipherSuite(readString(in))
                    .hostConfig(readString(in));
            b.sniHost((flags & FLAG_SNI) != 0 ? readString(in) : null);
            b.created(readInstant(in));
            b.authenticated(readInstant(in));
            b.expires(readInstant(in));
            b.lastResumed((flags & FLAG_LAST_RESUMED) != 0 ? readInstant(in) : null);
            b.resumeCount(in.getLong());
            b.peerIdentity((flags & FLAG_PEER) != 0 ? readString(in) : null);
            b.engine(readString(in));
            b.node((flags & FLAG_NODE) != 0 ? readString(in) : null);
            int secretLength = in.getShort() & 0xFFFF;
            if (secretLength > MAX_SECRET) {
                throw new MalformedRecordException("secret state too long");
            }
            byte[] secret = new byte[secretLength];
            in.get(secret);
            b.secretState(secret);
            if (in.hasRemaining()) {
                throw new MalformedRecordException("trailing bytes");
            }
            return b.build();
        } catch (BufferUnderflowException e) {
            throw new MalformedRecordException("truncated record");
        } catch (IllegalArgumentException | NullPointerException | java.time.DateTimeException e) {
            throw new MalformedRecordException("inconsistent record");
        }
    }

    private static SessionId readId(ByteBuffer in) throws MalformedRecordException {
        int length = in.get() & 0xFF;
        if (length < 1 || length > SessionId.MAX_LENGTH) {
            throw new MalformedRecordException("bad session ID length");
        }
        byte[] id = new byte[length];
        in.get(id);
        return SessionId.of(id);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_STRING) {
            throw new IllegalArgumentException("field longer than " + MAX_STRING + " bytes");
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static String readString(ByteBuffer in) throws MalformedRecordException {
        int length = in.getShort() & 0xFFFF;
        if (length > MAX_STRING) {
            throw new MalformedRecordException("field too long");
        }
        if (length > in.remaining()) {
            throw new MalformedRecordException("truncated record");
        }
        ByteBuffer slice = in.slice(in.position(), length);
        in.position(in.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedRecordException("field is not UTF-8");
        }
    }

    private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.toEpochMilli());
    }

    private static Instant readInstant(ByteBuffer in) {
        return Instant.ofEpochMilli(in.getLong());
    }

    /** The input was not a well-formed encoded record. Carries no stack trace: junk is not a bug. */
    public static final class MalformedRecordException extends Exception {
        /** @param reason what was wrong, without any of the input's bytes */
        public MalformedRecordException(String reason) {
            super(reason, null, false, false);
        }
    }
}
