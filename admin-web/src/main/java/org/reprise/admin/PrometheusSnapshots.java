package org.reprise.admin;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.reprise.core.metrics.ResumptionMetricsMXBean;

/**
 * Every connector's counters as the Prometheus client library's metric snapshots, read afresh from their JMX views,
 * for its text format writer. Each sample carries a {@code connector} label, and a {@code node} label when the
 * connector sets a node name: the nodes of one cluster share the connector name, and several may run in one JVM.
 *
 * <p>Family names are given without the {@code _total} suffix, which the writer appends to every counter.
 */
final class PrometheusSnapshots {

    private PrometheusSnapshots() {
    }

    /**
     * @param connectors the connectors to report
     * @return their counters, one family per counter
     */
    static MetricSnapshots of(List<Connectors.Handle> connectors) {
        return MetricSnapshots.of(
                handshakes(connectors),
                breakdown(connectors, "reprise_resumption_requested", "ClientHellos asking to resume, by mechanism.",
                        "mechanism", ResumptionMetricsMXBean::getRequestedByMechanism),
                breakdown(connectors, "reprise_resumption_hits", "Requested resumptions that resumed, by mechanism.",
                        "mechanism", ResumptionMetricsMXBean::getHitsByMechanism),
                breakdown(connectors, "reprise_resumption_misses",
                        "Requested resumptions that ended in a full handshake, by reason.", "reason",
                        ResumptionMetricsMXBean::getMissesByReason),
                simple(connectors, "reprise_store_errors", "Failed or timed-out session store calls.",
                        ResumptionMetricsMXBean::getStoreErrors),
                simple(connectors, "reprise_key_rotations", "New encrypting ticket keys.",
                        ResumptionMetricsMXBean::getKeyRotations),
                simple(connectors, "reprise_tickets_issued", "Session tickets sent.",
                        ResumptionMetricsMXBean::getTicketsIssued),
                simple(connectors, "reprise_sessions_stored", "Sessions written to the session store.",
                        ResumptionMetricsMXBean::getSessionsStored),
                simple(connectors, "reprise_store_writes_dropped", "Session writes dropped on a full queue.",
                        ResumptionMetricsMXBean::getStoreWritesDropped),
                simple(connectors, "reprise_sweeps", "Sweeps of expired sessions.",
                        ResumptionMetricsMXBean::getSweeps),
                simple(connectors, "reprise_sessions_swept", "Expired sessions deleted by sweeps.",
                        ResumptionMetricsMXBean::getSessionsSwept),
                simple(connectors, "reprise_ticket_keys_unreadable",
                        "Stored ticket keys this node cannot open (a data key it lacks), each counted once.",
                        ResumptionMetricsMXBean::getTicketKeysUnreadable),
                simple(connectors, "reprise_sessions_unreadable",
                        "Session lookups that found a session under a data key this node lacks (left in place).",
                        ResumptionMetricsMXBean::getSessionsUnreadable),
                simple(connectors, "reprise_sessions_refused",
                        "Sessions the store did not keep because it held jdbcMaxSessions rows.",
                        ResumptionMetricsMXBean::getSessionsRefused),
                sweepSeconds(connectors));
    }

    private static CounterSnapshot handshakes(List<Connectors.Handle> connectors) {
        CounterSnapshot.Builder family = CounterSnapshot.builder().name("reprise_handshakes")
                .help("TLS handshakes by protocol and kind (full or resumed).");
        for (Connectors.Handle c : connectors) {
            ResumptionMetricsMXBean m = c.metrics();
            m.getHandshakesFullByProtocol().forEach((protocol, value) -> family.dataPoint(
                    point(c, value, "protocol", protocol, "kind", "full")));
            m.getHandshakesResumedByProtocol().forEach((protocol, value) -> family.dataPoint(
                    point(c, value, "protocol", protocol, "kind", "resumed")));
        }
        return family.build();
    }

    private static CounterSnapshot breakdown(List<Connectors.Handle> connectors, String name, String help,
            String label, Function<ResumptionMetricsMXBean, Map<String, Long>> values) {
        CounterSnapshot.Builder family = CounterSnapshot.builder().name(name).help(help);
        for (Connectors.Handle c : connectors) {
            values.apply(c.metrics()).forEach((key, value) -> family.dataPoint(point(c, value, label, key)));
        }
        return family.build();
    }

    private static CounterSnapshot simple(List<Connectors.Handle> connectors, String name, String help,
            ToDoubleFunction<ResumptionMetricsMXBean> value) {
        CounterSnapshot.Builder family = CounterSnapshot.builder().name(name).help(help);
        connectors.forEach(c -> family.dataPoint(point(c, value.applyAsDouble(c.metrics()))));
        return family.build();
    }

    private static CounterSnapshot sweepSeconds(List<Connectors.Handle> connectors) {
        CounterSnapshot.Builder family = CounterSnapshot.builder().name("reprise_sweep_seconds")
                .unit(Unit.SECONDS).help("Time spent sweeping expired sessions.");
        connectors.forEach(c -> family.dataPoint(point(c, Unit.millisToSeconds(c.metrics().getSweepMillis()))));
        return family.build();
    }

    /** One sample: the connector's (and node's) labels, then {@code labels} as name, value, name, value... */
    private static CounterDataPointSnapshot point(Connectors.Handle connector, double value, String... labels) {
        String node = connector.node();
        Labels identity = node == null
                ? Labels.of("connector", connector.name())
                : Labels.of("connector", connector.name(), "node", node);
        return CounterDataPointSnapshot.builder().value(value).labels(identity.merge(Labels.of(labels))).build();
    }
}
