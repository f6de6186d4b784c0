package org.reprise.admin;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.reprise.core.metrics.ResumptionMetricsMXBean;

/**
 * Writes the counters of every connector in the Prometheus text exposition format 0.0.4, each sample
 * labelled with its {@code connector}.
 */
public final class PrometheusText {

    /** The media type of the format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder();

    /**
     * @param connectors the connectors to report
     * @return the exposition text
     */
    public static String render(List<Connectors.Handle> connectors) {
        PrometheusText t = new PrometheusText();
        t.family("reprise_handshakes_total", "TLS handshakes by protocol and kind (full or resumed).");
        for (Connectors.Handle c : connectors) {
            ResumptionMetricsMXBean m = c.metrics();
            t.byLabel(c.name(), "reprise_handshakes_total", "protocol", m.getHandshakesFullByProtocol(), "kind", "full");
            t.byLabel(c.name(), "reprise_handshakes_total", "protocol", m.getHandshakesResumedByProtocol(), "kind",
                    "resumed");
        }
        t.breakdown(connectors, "reprise_resumption_requested_total", "ClientHellos asking to resume, by mechanism.",
                "mechanism", ResumptionMetricsMXBean::getRequestedByMechanism);
        t.breakdown(connectors, "reprise_resumption_hits_total", "Requested resumptions that resumed, by mechanism.",
                "mechanism", ResumptionMetricsMXBean::getHitsByMechanism);
        t.breakdown(connectors, "reprise_resumption_misses_total",
                "Requested resumptions that ended in a full handshake, by reason.", "reason",
                ResumptionMetricsMXBean::getMissesByReason);
        t.simple(connectors, "reprise_store_errors_total", "Failed or timed-out session store calls.",
                ResumptionMetricsMXBean::getStoreErrors);
        t.simple(connectors, "reprise_key_rotations_total", "New encrypting ticket keys.",
                ResumptionMetricsMXBean::getKeyRotations);
        t.simple(connectors, "reprise_tickets_issued_total", "Session tickets sent.",
                ResumptionMetricsMXBean::getTicketsIssued);
        t.simple(connectors, "reprise_sessions_stored_total", "Sessions written to the session store.",
                ResumptionMetricsMXBean::getSessionsStored);
        t.simple(connectors, "reprise_store_writes_dropped_total", "Session writes dropped on a full queue.",
                ResumptionMetricsMXBean::getStoreWritesDropped);
        t.simple(connectors, "reprise_sweeps_total", "Sweeps of expired sessions.",
                ResumptionMetricsMXBean::getSweeps);
        t.simple(connectors, "reprise_sessions_swept_total", "Expired sessions deleted by sweeps.",
                ResumptionMetricsMXBean::getSessionsSwept);
        t.simple(connectors, "reprise_ticket_keys_unreadable_total",
                "Stored ticket keys this node cannot open (a data key it lacks), each counted once.",
                ResumptionMetricsMXBean::getTicketKeysUnreadable);
        t.simple(connectors, "reprise_sessions_unreadable_total",
                "Session lookups that found a session under a data key this node lacks (left in place).",
                ResumptionMetricsMXBean::getSessionsUnreadable);
        t.simple(connectors, "reprise_sessions_refused_total",
                "Sessions the store did not keep because it held jdbcMaxSessions rows.",
                ResumptionMetricsMXBean::getSessionsRefused);
        t.family("reprise_sweep_seconds_total", "Time spent sweeping expired sessions.");
        connectors.forEach(c -> t.sample("reprise_sweep_seconds_total", labels("connector", c.name()),
                c.metrics().getSweepMillis() / 1000.0));
        return t.out.toString();
    }

    private interface Counter {
        long get(ResumptionMetricsMXBean m);
    }

    private void simple(List<Connectors.Handle> connectors, String name, String help, Counter counter) {
        family(name, help);
        for (Connectors.Handle c : connectors) {
            sample(name, labels("connector", c.name()), counter.get(c.metrics()));
        }
    }

    private void breakdown(List<Connectors.Handle> connectors, String name, String help, String label,
            Function<ResumptionMetricsMXBean, Map<String, Long>> values) {
        family(name, help);
        for (Connectors.Handle c : connectors) {
            byLabel(c.name(), name, label, values.apply(c.metrics()), null, null);
        }
    }

    private void family(String name, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
    }

    private void byLabel(String connector, String name, String label, Map<String, Long> values,
            @org.jspecify.annotations.Nullable String extraLabel, @org.jspecify.annotations.Nullable String extraValue) {
        new TreeMap<>(values).forEach((key, value) -> {
            String l = labels("connector", connector) + "," + labels(label, key);
            if (extraLabel != null && extraValue != null) {
                l += "," + labels(extraLabel, extraValue);
            }
            sample(name, l, value);
        });
    }

    private void sample(String name, String labels, double value) {
        out.append(name).append('{').append(labels).append("} ");
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        out.append('\n');
    }

    private static String labels(String name, String value) {
        return name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
