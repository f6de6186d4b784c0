package org.reprise.tomcat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy for one TLS connection, standing where an attacker on the network stands: it records the
 * client's first record (its ClientHello, to replay), and can damage the client's first application data
 * record (one bit of its last byte), so that the handshake completes and the server then finds a record that
 * does not authenticate and ends the connection with a fatal bad_record_mac alert.
 */
final class OneConnectionProxy implements AutoCloseable {

    private static final int APPLICATION_DATA = 23;

    private final ServerSocket listener;
    private final int target;
    private final boolean damage;
    private final CompletableFuture<byte[]> firstRecord = new CompletableFuture<>();

    /**
     * @param target the server's port
     * @param damage whether to damage the client's first application data record
     */
    OneConnectionProxy(int target, boolean damage) throws IOException {
        this.target = target;
        this.damage = damage;
        this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(this::serveOne, "one-connection-proxy");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** @return the client's first record, header included: its ClientHello */
    byte[] firstClientRecord() throws Exception {
        return firstRecord.get(20, TimeUnit.SECONDS);
    }

    private void serveOne() {
        try (Socket client = listener.accept(); Socket server = new Socket()) {
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 10_000);
            Thread back = new Thread(() -> copy(server, client), "one-connection-proxy-back");
            back.setDaemon(true);
            back.start();
            forward(client.getInputStream(), server.getOutputStream());
            back.join(20_000);
        } catch (IOException | InterruptedException e) {
            // the connection is over
        } finally {
            firstRecord.completeExceptionally(new IOException("the client sent no record"));
        }
    }

    private void forward(InputStream from, OutputStream to) throws IOException {
        DataInputStream in = new DataInputStream(from);
        boolean damaged = false;
        while (true) {
            byte[] record = new byte[5];
            in.readFully(record);
            byte[] body = new byte[(record[3] & 0xFF) << 8 | (record[4] & 0xFF)];
            in.readFully(body);
            if (damage && !damaged && record[0] == APPLICATION_DATA && body.length > 0) {
                body[body.length - 1] ^= 1;
                damaged = true;
            }
            byte[] whole = new byte[record.length + body.length];
            System.arraycopy(record, 0, whole, 0, record.length);
            System.arraycopy(body, 0, whole, record.length, body.length);
            firstRecord.complete(whole);
            to.write(whole);
            to.flush();
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
