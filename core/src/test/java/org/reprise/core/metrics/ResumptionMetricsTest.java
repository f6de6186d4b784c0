package org.reprise.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

class ResumptionMetricsTest {

    private static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3", "other");
    private static final Set<String> MECHANISMS = Set.of("session_id", "ticket", "tls13_psk");
    private static final Set<String> REASONS = Set.of("unknown", "expired", "realm_mismatch", "host_mismatch",
            "protocol_mismatch", "cipher_unavailable", "ems_mismatch", "client_cert_required", "client_auth_changed", "auth_expired",
            "ticket_key_unknown", "ticket_invalid", "engine_unsupported", "store_error");

    private final ResumptionMetrics metrics = new ResumptionMetrics();

    private static void repeat(int times, Runnable action) {
        for (int i = 0; i < times; i++) {
            action.run();
        }
    }

    private static Map<String, Long> zeros(Set<String> labels) {
        return labels.stream().collect(Collectors.toMap(label -> label, label -> 0L));
    }

    private static Map<String, Long> with(Set<String> labels, Map<String, Long> counts) {
        Map<String, Long> expected = new HashMap<>(zeros(labels));
        expected.putAll(counts);
        return expected;
    }

    @Test
    void startsAtZeroWithEveryLabel() {
        MetricsSnapshot s = metrics.snapshot();

        assertEquals(zeros(PROTOCOLS), s.handshakesFullByProtocol());
        assertEquals(zeros(PROTOCOLS), s.handshakesResumedByProtocol());
        assertEquals(zeros(MECHANISMS), s.requestedByMechanism());
        assertEquals(zeros(MECHANISMS), s.hitsByMechanism());
        assertEquals(zeros(REASONS), s.missesByReason());
        assertEquals(0, s.storeErrors() + s.keyRotations() + s.ticketsIssued() + s.sessionsStored());
    }

    @Test
    void countsHandshakesByProtocol() {
        repeat(2, () -> metrics.fullHandshake(Protocol.TLS_1_2));
        metrics.fullHandshake(Protocol.OTHER);
        repeat(3, () -> metrics.resumed(Mechanism.TLS13_PSK, Protocol.TLS_1_3));

        MetricsSnapshot s = metrics.snapshot();

        assertEquals(with(PROTOCOLS, Map.of("TLSv1.2", 2L, "other", 1L)), s.handshakesFullByProtocol());
        assertEquals(with(PROTOCOLS, Map.of("TLSv1.3", 3L)), s.handshakesResumedByProtocol());
        assertEquals(3, s.handshakesFull());
        assertEquals(3, s.handshakesResumed());
        assertEquals(3, metrics.getHandshakesFull());
        assertEquals(3, metrics.getHandshakesResumed());
    }

    @Test
    void countsRequestsAndHitsByMechanism() {
        repeat(4, () -> metrics.requested(Mechanism.SESSION_ID));
        repeat(2, () -> metrics.requested(Mechanism.TICKET));
        repeat(3, () -> metrics.resumed(Mechanism.SESSION_ID, Protocol.TLS_1_2));
        metrics.resumed(Mechanism.TICKET, Protocol.TLS_1_2);

        MetricsSnapshot s = metrics.snapshot();

        assertEquals(with(MECHANISMS, Map.of("session_id", 4L, "ticket", 2L)), s.requestedByMechanism());
        assertEquals(with(MECHANISMS, Map.of("session_id", 3L, "ticket", 1L)), s.hitsByMechanism());
        assertEquals(4, s.requested(Mechanism.SESSION_ID));
        assertEquals(1, s.hits(Mechanism.TICKET));
        assertEquals(0, s.hits(Mechanism.TLS13_PSK));
        assertEquals(6, metrics.getResumptionsRequested());
        assertEquals(4, metrics.getHits());
        assertEquals(with(PROTOCOLS, Map.of("TLSv1.2", 4L)), s.handshakesResumedByProtocol());
    }

    @Test
    void countsEachMissReasonSeparately() {
        Map<String, Long> expected = new HashMap<>();
        for (MissReason reason : MissReason.values()) {
            int times = reason.ordinal() + 1; // a different count per reason
            repeat(times, () -> metrics.missed(reason));
            expected.put(reason.label(), (long) times);
        }

        MetricsSnapshot s = metrics.snapshot();

        assertEquals(expected, s.missesByReason());
        assertEquals(REASONS, expected.keySet());
        for (MissReason reason : MissReason.values()) {
            assertEquals(reason.ordinal() + 1, s.misses(reason), reason.label());
        }
        int n = MissReason.values().length;
        assertEquals(n * (n + 1) / 2, metrics.getMisses());
    }

    @Test
    void countsSingleCounters() {
        repeat(1, metrics::storeError);
        repeat(2, metrics::keyRotated);
        repeat(3, metrics::ticketIssued);
        repeat(4, metrics::sessionStored);
        repeat(5, metrics::ticketKeyUnreadable);
        repeat(6, metrics::sessionUnreadable);

        MetricsSnapshot s = metrics.snapshot();

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), List.of(s.storeErrors(), s.keyRotations(), s.ticketsIssued(),
                s.sessionsStored(), s.ticketKeysUnreadable(), s.sessionsUnreadable()));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), List.of(metrics.getStoreErrors(), metrics.getKeyRotations(),
                metrics.getTicketsIssued(), metrics.getSessionsStored(), metrics.getTicketKeysUnreadable(),
                metrics.getSessionsUnreadable()));
    }

    @Test
    void snapshotDoesNotMoveAndCannotBeChanged() {
        metrics.missed(MissReason.EXPIRED);
        MetricsSnapshot s = metrics.snapshot();

        metrics.missed(MissReason.EXPIRED);

        assertEquals(1, s.misses(MissReason.EXPIRED));
        assertEquals(2, metrics.snapshot().misses(MissReason.EXPIRED));
        assertThrows(UnsupportedOperationException.class, () -> s.missesByReason().put("expired", 0L));
    }

    @Test
    void snapshotMapsKeepTheEnumOrder() {
        MetricsSnapshot s = metrics.snapshot();

        assertEquals(List.of("TLSv1.2", "TLSv1.3", "other"), List.copyOf(s.handshakesFullByProtocol().keySet()));
        assertEquals(List.of("session_id", "ticket", "tls13_psk"), List.copyOf(s.hitsByMechanism().keySet()));
        assertEquals(Arrays.stream(MissReason.values()).map(MissReason::label).toList(),
                List.copyOf(s.missesByReason().keySet()));
    }

    @Test
    void protocolNamesMapToTheirCounters() {
        assertEquals(Protocol.TLS_1_2, Protocol.of("TLSv1.2"));
        assertEquals(Protocol.TLS_1_3, Protocol.of("TLSv1.3"));
        assertEquals(Protocol.OTHER, Protocol.of("TLSv1.1"));
        assertEquals(Protocol.OTHER, Protocol.of("SSLv3"));
    }

    @Test
    void concurrentIncrementsAreNeverLost() throws Exception {
        int threads = 8;
        int perThread = 100_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        metrics.requested(Mechanism.TICKET);
                        metrics.missed(MissReason.TICKET_INVALID);
                        metrics.fullHandshake(Protocol.TLS_1_3);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        long expected = (long) threads * perThread;
        MetricsSnapshot s = metrics.snapshot();
        assertEquals(expected, s.requested(Mechanism.TICKET));
        assertEquals(expected, s.misses(MissReason.TICKET_INVALID));
        assertEquals(expected, s.handshakesFull());
        assertEquals(expected, metrics.getMisses());
    }

    @Test
    void readableThroughThePlatformMBeanServer() throws Exception {
        repeat(3, () -> metrics.fullHandshake(Protocol.TLS_1_2));
        repeat(2, () -> metrics.missed(MissReason.HOST_MISMATCH));
        metrics.missed(MissReason.STORE_ERROR);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("org.reprise.test:type=ResumptionMetrics,name=" + System.nanoTime());

        server.registerMBean(metrics, name);
        try {
            assertEquals(3L, server.getAttribute(name, "HandshakesFull"));
            assertEquals(3L, server.getAttribute(name, "Misses"));
            assertEquals(0L, server.getAttribute(name, "StoreErrors"));
            TabularData misses = assertInstanceOf(TabularData.class, server.getAttribute(name, "MissesByReason"));
            assertEquals(with(REASONS, Map.of("host_mismatch", 2L, "store_error", 1L)), toMap(misses));
            TabularData full = assertInstanceOf(TabularData.class,
                    server.getAttribute(name, "HandshakesFullByProtocol"));
            assertEquals(with(PROTOCOLS, Map.of("TLSv1.2", 3L)), toMap(full));
        } finally {
            server.unregisterMBean(name);
        }
    }

    /** Reads back a {@code Map<String, Long>} that the MXBean mapping turned into rows of key and value. */
    private static Map<String, Long> toMap(TabularData table) {
        Map<String, Long> map = new HashMap<>();
        for (Object row : table.values()) {
            CompositeData data = (CompositeData) row;
            map.put((String) data.get("key"), (Long) data.get("value"));
        }
        return map;
    }
}
