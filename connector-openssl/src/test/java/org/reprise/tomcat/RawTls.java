package org.reprise.tomcat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * ClientHellos written byte by byte, for what {@code openssl s_client} will not send: hundreds of TLS 1.3 PSK
 * identities, or a TLS 1.2 session ID the client never owned. And just enough of a client to read the
 * server's ServerHello and to end the handshake with a fatal alert.
 */
final class RawTls implements AutoCloseable {

    /** The named groups a TLS 1.3 ClientHello here can send a key share for. */
    static final int X25519 = 0x001D;
    static final int SECP256R1 = 0x0017;
    /** TLS_AES_128_GCM_SHA256, the one TLS 1.3 suite every OpenSSL server enables. */
    private static final int TLS_AES_128_GCM_SHA256 = 0x1301;
    /** ECDHE-ECDSA and ECDHE-RSA suites with AES-GCM and ChaCha20, and the renegotiation SCSV. */
    private static final int[] TLS12_SUITES = {0xC02C, 0xC02B, 0xCCA9, 0xC030, 0xC02F, 0xCCA8, 0x00FF};
    private static final int SOCKET_TIMEOUT_MILLIS = 20_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** The ServerHello random that makes it a HelloRetryRequest (RFC 8446, 4.1.3). */
    private static final byte[] HELLO_RETRY_REQUEST = HexFormat.of()
            .parseHex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    /** What the server's ServerHello said, and whether it was a HelloRetryRequest. */
    record ServerHello(int version, byte[] sessionId, boolean retryRequest) {
        boolean echoes(byte[] id) {
            return Arrays.equals(sessionId, id);
        }
    }

    private RawTls(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code port} on this machine and sends {@code hello}. */
    static RawTls send(int port, byte[] hello) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), SOCKET_TIMEOUT_MILLIS);
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            RawTls tls = new RawTls(socket);
            tls.out.write(hello);
            tls.out.flush();
            return tls;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** @return 32 random bytes: a session ID or a ticket no server ever made */
    static byte[] randomId() {
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        return id;
    }

    /**
     * A TLS 1.3 ClientHello in one record that offers {@code identities} as PSKs (psk_dhe_ke), each with a
     * binder that will not verify: OpenSSL checks a binder only once it has found a session.
     */
    static byte[] tls13WithPsks(String serverName, List<byte[]> identities) {
        return tls13WithPsks(serverName, identities, X25519);
    }

    /**
     * The same, with the key share for {@code group}: {@link #X25519}, or {@link #SECP256R1} (whose share is
     * not a point, which does not matter to a server that asks for X25519 instead: it sends a
     * HelloRetryRequest without reading the share).
     */
    static byte[] tls13WithPsks(String serverName, List<byte[]> identities, int group) {
        Bytes ids = new Bytes();
        for (byte[] identity : identities) {
            ids.u16(identity.length).raw(identity).u32(0);
        }
        Bytes binders = new Bytes().u8(32).raw(new byte[32]);
        Bytes psk = new Bytes().u16(ids.size()).raw(ids.toArray()).u16(binders.size()).raw(binders.toArray());
        // X25519's base point (u = 9) is a valid public key, so the server can answer with a full handshake
        byte[] share = new byte[group == X25519 ? 32 : 65];
        share[0] = (byte) (group == X25519 ? 9 : 4);
        Bytes extensions = new Bytes()
                .raw(serverNameExtension(serverName))
                .raw(extension(0x002B, new Bytes().u8(2).u16(0x0304).toArray()))
                .raw(extension(0x000A, new Bytes().u16(4).u16(X25519).u16(SECP256R1).toArray()))
                .raw(extension(0x000D, new Bytes().u16(6).u16(0x0403).u16(0x0804).u16(0x0503).toArray()))
                .raw(extension(0x0033, new Bytes().u16(4 + share.length).u16(group).u16(share.length).raw(share)
                        .toArray()))
                .raw(extension(0x002D, new Bytes().u8(1).u8(1).toArray()))
                // pre_shared_key must be the last extension (RFC 8446, 4.2.11)
                .raw(extension(0x0029, psk.toArray()));
        return record(clientHello(new byte[0], new int[] {TLS_AES_128_GCM_SHA256}, extensions.toArray()));
    }

    /**
     * A TLS 1.2 ClientHello that asks to resume {@code sessionId}, offering the extended master secret (as
     * OpenSSL clients do) and no ticket.
     */
    static byte[] tls12WithSessionId(String serverName, byte[] sessionId) {
        Bytes extensions = new Bytes()
                .raw(serverNameExtension(serverName))
                .raw(extension(0x0017, new byte[0]))
                .raw(extension(0x000A, new Bytes().u16(4).u16(0x001D).u16(0x0017).toArray()))
                .raw(extension(0x000B, new Bytes().u8(1).u8(0).toArray()))
                .raw(extension(0x000D, new Bytes().u16(8).u16(0x0403).u16(0x0804).u16(0x0401).u16(0x0503)
                        .toArray()));
        return record(clientHello(sessionId, TLS12_SUITES, extensions.toArray()));
    }

    /** Sends more bytes on the connection: the second ClientHello after a HelloRetryRequest. */
    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads records until the ServerHello (or HelloRetryRequest) and returns it. */
    ServerHello readServerHello() throws IOException {
        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        while (true) {
            int type = in.readUnsignedByte();
            in.readUnsignedShort();
            byte[] fragment = new byte[in.readUnsignedShort()];
            in.readFully(fragment);
            if (type == 21) {
                throw new IOException("the server sent an alert: " + (fragment.length > 1 ? fragment[1] & 0xFF : -1));
            }
            if (type != 22) {
                continue;
            }
            handshake.write(fragment);
            byte[] messages = handshake.toByteArray();
            if (messages.length >= 4) {
                int length = (messages[1] & 0xFF) << 16 | (messages[2] & 0xFF) << 8 | (messages[3] & 0xFF);
                if (messages[0] != 2) {
                    throw new IOException("the server's first handshake message is of type " + messages[0]);
                }
                if (messages.length >= 4 + length) {
                    int version = (messages[4] & 0xFF) << 8 | (messages[5] & 0xFF);
                    int idLength = messages[4 + 2 + 32] & 0xFF;
                    return new ServerHello(version, Arrays.copyOfRange(messages, 39, 39 + idLength),
                            Arrays.equals(HELLO_RETRY_REQUEST, Arrays.copyOfRange(messages, 6, 38)));
                }
            }
        }
    }

    /** Sends a fatal handshake_failure alert in the clear, as a client that gives up on the handshake does. */
    void sendFatalAlert() throws IOException {
        out.write(new byte[] {21, 3, 3, 0, 2, 2, 40});
        out.flush();
    }

    /** Reads and drops whatever the server sends until it closes the connection. */
    void awaitClose() throws IOException {
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) != -1) {
                // drop it
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("the server kept the connection open for " + SOCKET_TIMEOUT_MILLIS + " ms", e);
        } catch (EOFException e) {
            // closed
        } catch (IOException reset) {
            // closed too
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static byte[] clientHello(byte[] sessionId, int[] suites, byte[] extensions) {
        Bytes ciphers = new Bytes();
        for (int suite : suites) {
            ciphers.u16(suite);
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        Bytes body = new Bytes().u16(0x0303).raw(random).u8(sessionId.length).raw(sessionId)
                .u16(ciphers.size()).raw(ciphers.toArray()).u8(1).u8(0).u16(extensions.length).raw(extensions);
        return new Bytes().u8(1).u24(body.size()).raw(body.toArray()).toArray();
    }

    private static byte[] record(byte[] handshake) {
        if (handshake.length > 1 << 14) {
            throw new IllegalArgumentException("a ClientHello of " + handshake.length + " bytes needs two records");
        }
        return new Bytes().u8(22).u16(0x0301).u16(handshake.length).raw(handshake).toArray();
    }

    private static byte[] serverNameExtension(String name) {
        byte[] host = name.getBytes(StandardCharsets.US_ASCII);
        return extension(0x0000, new Bytes().u16(host.length + 3).u8(0).u16(host.length).raw(host).toArray());
    }

    private static byte[] extension(int type, byte[] data) {
        return new Bytes().u16(type).u16(data.length).raw(data).toArray();
    }

    /** A growing big-endian byte string. */
    private static final class Bytes {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Bytes u8(int v) {
            bytes.write(v);
            return this;
        }

        Bytes u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        Bytes u24(int v) {
            return u8(v >>> 16).u16(v);
        }

        Bytes u32(long v) {
            return u16((int) (v >>> 16)).u16((int) v);
        }

        Bytes raw(byte[] b) {
            bytes.writeBytes(b);
            return this;
        }

        int size() {
            return bytes.size();
        }

        byte[] toArray() {
            return bytes.toByteArray();
        }
    }
}
