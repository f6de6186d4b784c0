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
            long resumedOnServers = 0;
            for (int node = 0; node < 2; node++) {
                MetricsSnapshot m = nodes.metrics(node);
                resumedOnServers += m.handshakesResumed();
                assertTrue(m.handshakesResumed() > 0, "node " + node + " resumed some: " + m);
            }
            assertTrue(resumedOnServers >= load.resumed.get(), "the servers' counters saw every resumption");

            Thread.sleep(2000);
            int threadsAfter = threads.getThreadCount();
            long heapAfter = heapAfterGc(memory);
            System.out.printf("threads %d -> %d, heap %d MB -> %d MB%n", threadsBefore, threadsAfter,
                    heapBefore >> 20, heapAfter >> 20);
            assertTrue(threadsAfter <= threadsBefore + 4, threadsBefore + " threads before, " + threadsAfter + " after");
            assertTrue(heapAfter <= heapBefore + (64L << 20), (heapBefore >> 20) + " MB before, "
                    + (heapAfter >> 20) + " MB after");
        }
    }

    private static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
