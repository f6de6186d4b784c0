package org.reprise.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.StandardMBean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.reprise.core.admin.JmxNames;
import org.reprise.core.admin.ResumptionAdminMXBean;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.metrics.Protocol;
import org.reprise.core.metrics.ResumptionMetrics;

/**
 * The Prometheus page's text, as a scraper reads it: connectors registered in a JMX server of the test's own, known
 * events counted, the exposition written by the Prometheus client's text format writer and parsed here line by line
 * (so the text is checked against the format, not against the library that wrote it).
 */
class PrometheusSnapshotsTest {

    /** A connector name with every character the format must escape in a label value. */
    private static final String HOSTILE = "shop \"main\" \\ edge\nline two";

    /** Every family the page serves; docs/METRICS.md and admin-web/README.md list the same. */
    private static final Set<String> FAMILIES = Set.of("reprise_handshakes_total", "reprise_resumption_requested_total",
            "reprise_resumption_hits_total", "reprise_resumption_misses_total", "reprise_store_errors_total",
            "reprise_key_rotations_total", "reprise_tickets_issued_total", "reprise_sessions_stored_total",
            "reprise_store_writes_dropped_total", "reprise_sweeps_total", "reprise_sessions_swept_total",
            "reprise_ticket_keys_unreadable_total", "reprise_sessions_unreadable_total",
            "reprise_sessions_refused_total", "reprise_sweep_seconds_total");

    private final MBeanServer jmx = MBeanServerFactory.newMBeanServer();

    @Test
    void countersAfterKnownEventsParseWithTheirLabels() throws Exception {
        ResumptionMetrics plain = register("https-8443", null);
        plain.fullHandshake(Protocol.TLS_1_2);
        plain.fullHandshake(Protocol.TLS_1_2);
        plain.requested(Mechanism.TICKET);
        plain.resumed(Mechanism.TICKET, Protocol.TLS_1_3);
        plain.requested(Mechanism.SESSION_ID);
        plain.missed(MissReason.EXPIRED);
        plain.fullHandshake(Protocol.TLS_1_2);
        plain.swept(7, Duration.ofMillis(1500));
        plain.storeError();

        Exposition page = scrape();

        assertEquals(3, page.value("reprise_handshakes_total",
                Map.of("connector", "https-8443", "protocol", "TLSv1.2", "kind", "full")), page.text);
        assertEquals(1, page.value("reprise_handshakes_total",
                Map.of("connector", "https-8443", "protocol", "TLSv1.3", "kind", "resumed")), page.text);
        assertEquals(0, page.value("reprise_handshakes_total",
                Map.of("connector", "https-8443", "protocol", "TLSv1.3", "kind", "full")), page.text);
        assertEquals(1, page.value("reprise_resumption_requested_total",
                Map.of("connector", "https-8443", "mechanism", "ticket")), page.text);
        assertEquals(1, page.value("reprise_resumption_hits_total",
                Map.of("connector", "https-8443", "mechanism", "ticket")), page.text);
        assertEquals(0, page.value("reprise_resumption_hits_total",
                Map.of("connector", "https-8443", "mechanism", "session_id")), page.text);
        assertEquals(1, page.value("reprise_resumption_misses_total",
                Map.of("connector", "https-8443", "reason", "expired")), page.text);
        for (MissReason other : MissReason.values()) {
            if (other != MissReason.EXPIRED) {
                assertEquals(0, page.value("reprise_resumption_misses_total",
                        Map.of("connector", "https-8443", "reason", other.label())), other.label());
            }
        }
        assertEquals(1, page.value("reprise_sweeps_total", Map.of("connector", "https-8443")), page.text);
        assertEquals(7, page.value("reprise_sessions_swept_total", Map.of("connector", "https-8443")), page.text);
        assertEquals(1.5, page.value("reprise_sweep_seconds_total", Map.of("connector", "https-8443")), page.text);
        assertEquals(1, page.value("reprise_store_errors_total", Map.of("connector", "https-8443")), page.text);
        assertEquals(0, page.value("reprise_sessions_refused_total", Map.of("connector", "https-8443")), page.text);

        assertEquals(FAMILIES, page.types.keySet(), page.text);
        for (String family : FAMILIES) {
            assertEquals("counter", page.types.get(family), family);
            assertTrue(page.helps.containsKey(family), "HELP for " + family);
        }
        assertEquals(new TreeSet<>(FAMILIES), page.sampleNames(), "every sample belongs to a declared family");
    }

    @Test
    void labelValuesAreEscapedAndNodesOfOneClusterStayApart() throws Exception {
        register(HOSTILE, "node \"a\"").fullHandshake(Protocol.TLS_1_3);
        ResumptionMetrics b = register(HOSTILE, "b");
        b.fullHandshake(Protocol.TLS_1_3);
        b.fullHandshake(Protocol.TLS_1_3);

        Exposition page = scrape();

        assertTrue(page.text.contains("connector=\"shop \\\"main\\\" \\\\ edge\\nline two\""), page.text);
        assertEquals(1, page.value("reprise_handshakes_total",
                Map.of("connector", HOSTILE, "node", "node \"a\"", "protocol", "TLSv1.3", "kind", "full")), page.text);
        assertEquals(2, page.value("reprise_handshakes_total",
                Map.of("connector", HOSTILE, "node", "b", "protocol", "TLSv1.3", "kind", "full")), page.text);
        assertEquals(0, page.value("reprise_store_errors_total", Map.of("connector", HOSTILE, "node", "b")),
                page.text);
    }

    @Test
    void noConnectorNoSample() throws Exception {
        Exposition page = scrape();
        assertEquals("", page.text);
    }

    /** Registers a connector's two views as the connector does, and returns its counters. */
    private ResumptionMetrics register(String connector, @Nullable String node) throws Exception {
        ResumptionMetrics metrics = new ResumptionMetrics();
        jmx.registerMBean(metrics, JmxNames.of(JmxNames.METRICS, connector, node));
        // the admin view must be there for the connector to be listed; the Prometheus page never calls it
        ResumptionAdminMXBean admin = (ResumptionAdminMXBean) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ResumptionAdminMXBean.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        jmx.registerMBean(new StandardMBean(admin, ResumptionAdminMXBean.class, true),
                JmxNames.of(JmxNames.ADMIN, connector, node));
        return metrics;
    }

    private Exposition scrape() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, PrometheusSnapshots.of(new Connectors(jmx).list()));
        return Exposition.parse(out.toString(StandardCharsets.UTF_8));
    }

    /** One sample line: its metric name, labels and value. */
    private record Sample(String name, Map<String, String> labels, double value) {
    }

    /**
     * The text format 0.0.4 as Prometheus reads it: {@code # HELP name text}, {@code # TYPE name type} and
     * {@code name{label="value",...} value} lines, label values with {@code \\}, {@code \"} and {@code \n} escapes.
     */
    private record Exposition(String text, Map<String, String> helps, Map<String, String> types, List<Sample> samples) {

        static Exposition parse(String text) {
            Map<String, String> helps = new LinkedHashMap<>();
            Map<String, String> types = new LinkedHashMap<>();
            List<Sample> samples = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                    String[] parts = line.substring(7).split(" ", 2);
                    (line.startsWith("# HELP ") ? helps : types).put(parts[0], parts[1]);
                    continue;
                }
                samples.add(sample(line));
            }
            return new Exposition(text, helps, types, samples);
        }

        private static Sample sample(String line) {
            int brace = line.indexOf('{');
            assertTrue(brace > 0, "a sample has labels: " + line);
            String name = line.substring(0, brace);
            assertTrue(name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*"), line);
            Map<String, String> labels = new LinkedHashMap<>();
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int equals = line.indexOf('=', i);
                String label = line.substring(i, equals);
                assertTrue(label.matches("[a-zA-Z_][a-zA-Z0-9_]*"), line);
                assertEquals('"', line.charAt(equals + 1), line);
                StringBuilder value = new StringBuilder();
                i = equals + 2;
                for (char c = line.charAt(i); c != '"'; c = line.charAt(++i)) {
                    if (c == '\\') {
                        char escaped = line.charAt(++i);
                        assertTrue(escaped == '\\' || escaped == '"' || escaped == 'n', line);
                        value.append(escaped == 'n' ? '\n' : escaped);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i++;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            assertEquals(' ', line.charAt(i + 1), line);
            return new Sample(name, labels, Double.parseDouble(line.substring(i + 2)));
        }

        double value(String name, Map<String, String> labels) {
            List<Sample> matching = samples.stream()
                    .filter(s -> s.name.equals(name) && s.labels.equals(labels))
                    .toList();
            assertEquals(1, matching.size(), name + labels + " in\n" + text);
            return matching.get(0).value;
        }

        Set<String> sampleNames() {
            Set<String> names = new TreeSet<>();
            samples.forEach(s -> names.add(s.name));
            return names;
        }
    }
}
