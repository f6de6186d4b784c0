package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.metrics.MetricsSnapshot;

/** Eight clients for sixty seconds against two nodes that share PostgreSQL. */
class LoadTest {

    @TempDir
    Path dir;

    @Test
    void eightClientsForAMinuteResumeAndLeaveHeapAndThreadsFlat() throws Exception {
        try (TwoNodes nodes = new TwoNodes(dir, null)) {
            AtomicInteger turn = new AtomicInteger();
            LoadClients warmUp = new LoadClients(nodes.pki, () -> nodes.port(turn.getAndIncrement()), 4);
            warmUp.run(8, Duration.ofSeconds(5));
            assertEquals(0, warmUp.failures.size(), "warm-up: " + warmUp);
            MetricsSnapshot[] afterWarmUp = {nodes.metrics(0), nodes.metrics(1)};
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            int threadsBefore = threads.getThreadCount();
            long heapBefore = heapAfterGc(memory);

            LoadClients load = new LoadClients(nodes.pki, () -> nodes.port(turn.getAndIncrement()), 4);
            load.run(8, Duration.ofSeconds(Long.getLong("it.loadSeconds", 60)));

            System.out.println("load: " + load);
            assertEquals(0, load.failures.size(), load.toString());
            assertTrue(load.resumedShare() >= 0.99, load.toString());
            assertTrue(load.full.get() >= 100 && load.attempts.get() >= 400, "a real mix: " + load);
            // Over the measured load only (the warm-up's handshakes left out): every client connection is one
            // handshake on one node (one request, then the connection closes), every connection succeeded, and
            // on each the client and the servlet agreed whether it resumed; so the nodes' counters must match
            // the clients' counts exactly.
            long resumedOnServers = 0;
            long fullOnServers = 0;
            for (int node = 0; node < 2; node++) {
                MetricsSnapshot m = nodes.metrics(node);
                long resumed = m.handshakesResumed() - afterWarmUp[node].handshakesResumed();
                resumedOnServers += resumed;
                fullOnServers += m.handshakesFull() - afterWarmUp[node].handshakesFull();
                assertTrue(resumed > 0, "node " + node + " resumed some during the load: " + afterWarmUp[node]
                        + " -> " + m);
            }
            assertEquals(load.resumed.get(), resumedOnServers, "the servers' counters saw every resumption: " + load);
            assertEquals(load.full.get() + load.attempts.get() - load.resumed.get(), fullOnServers,
                    "the servers' counters saw every full handshake: " + load);

            int threadsAfter = awaitThreadsAtMost(threads, threadsBefore + 4, Duration.ofSeconds(30));
            long heapAfter = heapAfterGc(memory);
            System.out.printf("threads %d -> %d, heap %d MB -> %d MB%n", threadsBefore, threadsAfter,
                    heapBefore >> 20, heapAfter >> 20);
            assertTrue(threadsAfter <= threadsBefore + 4, threadsBefore + " threads before, " + threadsAfter + " after");
            assertTrue(heapAfter <= heapBefore + (64L << 20), (heapBefore >> 20) + " MB before, "
                    + (heapAfter >> 20) + " MB after");
        }
    }

    /**
     * Waits until the JVM runs at most {@code most} threads (threads the load stopped take a moment to end).
     *
     * @return the thread count last seen: at most {@code most} unless {@code limit} passed first
     */
    private static int awaitThreadsAtMost(ThreadMXBean threads, int most, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        int count = threads.getThreadCount();
        while (count > most && System.nanoTime() < deadline) {
            Thread.sleep(100);
            count = threads.getThreadCount();
        }
        return count;
    }

    private static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
