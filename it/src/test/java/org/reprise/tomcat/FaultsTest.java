package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.metrics.MetricsSnapshot;
import org.reprise.core.metrics.MissReason;
import org.reprise.store.jdbc.TcpProxy;

/** Faults in the middle of load on two nodes sharing PostgreSQL: a database cut, a node restart, key rotation. */
class FaultsTest {

    private static final Duration LOAD = Duration.ofSeconds(20);
    /** The longest to wait for something that normally takes well under a second. */
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final AtomicInteger turn = new AtomicInteger();

    private static CompletableFuture<Void> inBackground(LoadClients load) {
        return CompletableFuture.runAsync(() -> {
            try {
                load.run(8, LOAD);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A TLS 1.2 session by session ID only, made on node {@code from} and saved to a file, once in the database. */
    private Path sessionIdOn(TwoNodes nodes, int from, String name) throws Exception {
        Path file = dir.resolve(name + ".pem");
        OpenSslClient.Result made = OpenSslClient.connect(nodes.port(from), "localhost", file, true, "-tls1_2", "-no_ticket");
        assertTrue(made.handshakeCompleted(), made.output());
        assertTrue(nodes.stores(from).flush(LIMIT), "node " + from + " wrote its queued sessions within "
                + LIMIT.toSeconds() + " s");
        return file;
    }

    /** Waits until {@code condition} holds, failing after {@link #LIMIT}. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + LIMIT.toSeconds() + " s: " + what);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static boolean resumes(TwoNodes nodes, int on, Path session, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("-tls1_2"));
        args.addAll(List.of(options));
        OpenSslClient.Result r = OpenSslClient.connect(nodes.port(on), "localhost", session, false,
                args.toArray(String[]::new));
        assertTrue(r.handshakeCompleted(), r.output());
        return r.reused();
    }

    @Test
    void aDatabaseCutFailsNoHandshakeAndResumptionFromTheDatabaseIsBackWithinTenSeconds() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5432); TwoNodes nodes = new TwoNodes(dir, proxy.port())) {
            Path before = sessionIdOn(nodes, 0, "before");
            LoadClients load = new LoadClients(nodes.pki, () -> nodes.port(turn.getAndIncrement()), 4);
            CompletableFuture<Void> running = inBackground(load);
            await("the load resuming on both nodes before the cut",
                    () -> nodes.metrics(0).handshakesResumed() > 0 && nodes.metrics(1).handshakesResumed() > 0);

            MetricsSnapshot[] atCut = {nodes.metrics(0), nodes.metrics(1)};
            proxy.cut();
            // The load's new sessions on node b can no longer be written: the cut has reached b
            await("node b's store errors moving after the cut",
                    () -> nodes.metrics(1).storeErrors() > atCut[1].storeErrors());
            MetricsSnapshot bBefore = nodes.metrics(1);
            assertFalse(resumes(nodes, 1, before, "-no_ticket"), "node b cannot read the session while cut");
            MetricsSnapshot bAfter = nodes.metrics(1);
            // b has never seen the session, so only the database could have answered: the lookup failed, and
            // b counts it as a store error, not as a session it does not know
            assertTrue(bAfter.misses(MissReason.STORE_ERROR) > bBefore.misses(MissReason.STORE_ERROR),
                    "node b counts a miss for a store error: " + bBefore + " -> " + bAfter);
            // The load runs on through the cut: both nodes make new sessions they cannot write, and go on
            // resuming the ones they have (from their caches and tickets)
            await("both nodes losing writes and resuming during the cut", () -> {
                for (int node = 0; node < 2; node++) {
                    MetricsSnapshot m = nodes.metrics(node);
                    if (m.storeErrors() <= atCut[node].storeErrors()
                            || m.handshakesResumed() <= atCut[node].handshakesResumed()) {
                        return false;
                    }
                }
                return true;
            });

            proxy.restore();
            long restored = System.nanoTime();
            boolean back = false;
            while (!back && System.nanoTime() - restored < TimeUnit.SECONDS.toNanos(10)) {
                back = resumes(nodes, 1, before, "-no_ticket");
                if (!back) {
                    TimeUnit.MILLISECONDS.sleep(250);
                }
            }
            assertTrue(back, "resumption from the database within 10 seconds of its return");
            running.get(LOAD.toSeconds() + 60, TimeUnit.SECONDS);

            System.out.println("cut: " + load);
            assertEquals(0, load.failures.size(), load.toString());
            assertTrue(load.resumed.get() > 0, load.toString());
        }
    }

    @Test
    void sessionsInTheDatabaseResumeOnARestartedNode() throws Exception {
        try (TwoNodes nodes = new TwoNodes(dir, null)) {
            // While node b restarts, the load goes to node a only.
            LoadClients load = new LoadClients(nodes.pki, () -> nodes.port(0), 4);
            CompletableFuture<Void> running = inBackground(load);
            TimeUnit.SECONDS.sleep(3);
            Path byIdOnA = sessionIdOn(nodes, 0, "by-id-a");
            Path byIdOnB = sessionIdOn(nodes, 1, "by-id-b");
            Path ticketOnB = dir.resolve("ticket-b.pem");
            assertTrue(OpenSslClient.connect(nodes.port(1), "localhost", ticketOnB, true, "-tls1_2").handshakeCompleted());

            nodes.restart(1);
            assertTrue(resumes(nodes, 1, byIdOnB, "-no_ticket"), "b's own session, from the database, after its restart");
            assertTrue(resumes(nodes, 1, byIdOnA, "-no_ticket"), "a's session on the restarted b");
            assertTrue(resumes(nodes, 1, ticketOnB), "a ticket b sealed before its restart");
            assertEquals(2, nodes.metrics(1).hits(org.reprise.core.metrics.Mechanism.SESSION_ID));
            running.get(LOAD.toSeconds() + 60, TimeUnit.SECONDS);

            System.out.println("restart: " + load);
            assertEquals(0, load.failures.size(), load.toString());
            assertTrue(load.resumedShare() >= 0.99, load.toString());
        }
    }

    @Test
    void ticketKeysRotatingUnderLoadFailNoTicketWithinItsLifetime() throws Exception {
        try (TwoNodes nodes = new TwoNodes(dir, null)) {
            LoadClients load = new LoadClients(nodes.pki, () -> nodes.port(turn.getAndIncrement()), 4);
            CompletableFuture<Void> running = inBackground(load);
            List<Path> tickets = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                TimeUnit.SECONDS.sleep(3);
                Path ticket = dir.resolve("ticket" + i + ".pem");
                assertTrue(OpenSslClient.connect(nodes.port(i), "localhost", ticket, true, "-tls1_2").handshakeCompleted());
                tickets.add(ticket);
                nodes.node(i % 2).resumption(0).resumptionContext().keyRing().rotate();
            }
            running.get(LOAD.toSeconds() + 60, TimeUnit.SECONDS);
            for (int i = 0; i < tickets.size(); i++) {
                assertTrue(resumes(nodes, i + 1, tickets.get(i)), "ticket " + i + " on the other node after rotations");
            }

            System.out.println("rotation: " + load);
            assertEquals(0, load.failures.size(), load.toString());
            assertTrue(load.resumedShare() >= 0.99, load.toString());
            for (int node = 0; node < 2; node++) {
                assertEquals(0, nodes.metrics(node).misses(MissReason.TICKET_KEY_UNKNOWN), "node " + node);
                assertEquals(0, nodes.metrics(node).misses(MissReason.TICKET_INVALID), "node " + node);
                assertTrue(nodes.metrics(node).hits(org.reprise.core.metrics.Mechanism.TICKET) > 0, "node " + node);
            }
        }
    }
}
