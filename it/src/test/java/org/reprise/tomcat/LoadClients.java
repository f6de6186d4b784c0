package org.reprise.tomcat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Concurrent JDK TLS 1.2 clients on loopback, bounded in time: each makes a full handshake on a fresh
 * SSLContext, then resumes it on {@code resumesPerFull} more connections to the same node (the JDK caches
 * client sessions per host and port), with one short GET each. A connection counts as resumed only when
 * the client's session is the one it cached (same creation time) and the servlet reports
 * {@code resumed=true}; a disagreement between the two is a failure.
 */
final class LoadClients {

    private final TestPki pki;
    private final IntSupplier port;
    private final int resumesPerFull;
    final AtomicLong full = new AtomicLong();
    final AtomicLong attempts = new AtomicLong();
    final AtomicLong resumed = new AtomicLong();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    /** @param port the port of the next full handshake (several nodes, a restart) */
    LoadClients(TestPki pki, IntSupplier port, int resumesPerFull) {
        this.pki = pki;
        this.port = port;
        this.resumesPerFull = resumesPerFull;
    }

    /** Runs {@code clients} clients for {@code duration}, then waits for them to finish. */
    void run(int clients, Duration duration) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                running.add(pool.submit(() -> client(deadline)));
            }
            for (Future<?> f : running) {
                f.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Void client(long deadline) throws Exception {
        while (System.nanoTime() < deadline) {
            SSLContext context = pki.clientContext();
            int target = port.getAsInt();
            SSLSession session = connect(context, target, null);
            if (session == null) {
                continue;
            }
            full.incrementAndGet();
            for (int i = 0; i < resumesPerFull && System.nanoTime() < deadline; i++) {
                attempts.incrementAndGet();
                SSLSession again = connect(context, target, session);
                if (again != null && again.getCreationTime() == session.getCreationTime()) {
                    resumed.incrementAndGet();
                }
            }
        }
        return null;
    }

    /** One connection and request; the client's session, or null after a failure (recorded). */
    private SSLSession connect(SSLContext context, int target, SSLSession cached) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", target)) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.startHandshake();
            socket.getOutputStream().write("GET /info HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!response.startsWith("HTTP/1.1 200")) {
                failures.add("port " + target + ": " + response.lines().findFirst().orElse("no response"));
                return null;
            }
            SSLSession session = socket.getSession();
            boolean clientResumed = cached != null && session.getCreationTime() == cached.getCreationTime();
            if (clientResumed != response.contains("resumed=true")) {
                failures.add("port " + target + ": client and server disagree on resumption");
            }
            return session;
        } catch (IOException e) {
            failures.add("port " + target + ": " + e);
            return null;
        }
    }

    double resumedShare() {
        return attempts.get() == 0 ? 0 : (double) resumed.get() / attempts.get();
    }

    @Override
    public String toString() {
        return String.format("%d full, %d resumption attempts, %d resumed (%.2f%%), %d failures %s", full.get(),
                attempts.get(), resumed.get(), 100 * resumedShare(), failures.size(),
                failures.stream().limit(5).toList());
    }
}
