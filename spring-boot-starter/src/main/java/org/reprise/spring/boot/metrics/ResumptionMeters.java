package org.reprise.spring.boot.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MetricsSnapshot;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.metrics.Protocol;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.spring.boot.RepriseConnectors;
import org.reprise.tomcat.ResumptionSslImplementation;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Registers the counters of each Reprise connector (docs/METRICS.md) as Micrometer function counters once its
 * web server has started, when the connector's Reprise name is known: every meter is tagged {@code connector},
 * and {@code reprise.handshakes} also {@code protocol} and {@code kind} ({@code full} or {@code resumed}),
 * {@code reprise.resumption.requested} and {@code reprise.resumption.hits} {@code mechanism},
 * {@code reprise.resumption.misses} {@code reason}. In Prometheus they keep the admin page's names
 * ({@code reprise_handshakes_total}, ...). The meters read the connector's live counters when scraped.
 */
final class ResumptionMeters implements ApplicationListener<WebServerInitializedEvent> {

    private final MeterRegistry registry;

    ResumptionMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        RepriseConnectors.of(event.getWebServer()).forEach(this::register);
    }

    void register(ResumptionSslImplementation connector) {
        ResumptionMetrics metrics = connector.metrics();
        Tags tags = Tags.of("connector", connector.name());
        for (Protocol protocol : Protocol.values()) {
            byLabel(metrics, "reprise.handshakes", "TLS handshakes that completed, by protocol and kind",
                    tags.and("protocol", protocol.label(), "kind", "full"), protocol.label(),
                    MetricsSnapshot::handshakesFullByProtocol);
            byLabel(metrics, "reprise.handshakes", "TLS handshakes that completed, by protocol and kind",
                    tags.and("protocol", protocol.label(), "kind", "resumed"), protocol.label(),
                    MetricsSnapshot::handshakesResumedByProtocol);
        }
        for (Mechanism mechanism : Mechanism.values()) {
            byLabel(metrics, "reprise.resumption.requested", "ClientHellos asking to resume, by mechanism",
                    tags.and("mechanism", mechanism.label()), mechanism.label(), MetricsSnapshot::requestedByMechanism);
            byLabel(metrics, "reprise.resumption.hits", "Requested resumptions that resumed, by mechanism",
                    tags.and("mechanism", mechanism.label()), mechanism.label(), MetricsSnapshot::hitsByMechanism);
        }
        for (MissReason reason : MissReason.values()) {
            byLabel(metrics, "reprise.resumption.misses",
                    "Requested resumptions that ended in a full handshake, by reason",
                    tags.and("reason", reason.label()), reason.label(), MetricsSnapshot::missesByReason);
        }
        counter(metrics, "reprise.store.errors", "Failed or timed-out session store calls", tags,
                MetricsSnapshot::storeErrors);
        counter(metrics, "reprise.key.rotations", "New encrypting ticket keys", tags, MetricsSnapshot::keyRotations);
        counter(metrics, "reprise.tickets.issued", "Session tickets sent", tags, MetricsSnapshot::ticketsIssued);
        counter(metrics, "reprise.sessions.stored", "Sessions written to the session store", tags,
                MetricsSnapshot::sessionsStored);
        counter(metrics, "reprise.store.writes.dropped", "Session writes dropped on a full queue", tags,
                MetricsSnapshot::storeWritesDropped);
        counter(metrics, "reprise.sweeps", "Sweeps of expired sessions", tags, MetricsSnapshot::sweeps);
        counter(metrics, "reprise.sessions.swept", "Expired sessions deleted by sweeps", tags,
                MetricsSnapshot::sessionsSwept);
        counter(metrics, "reprise.ticket.keys.unreadable",
                "Stored ticket keys this node cannot open (a data key it lacks), each counted once", tags,
                MetricsSnapshot::ticketKeysUnreadable);
        counter(metrics, "reprise.sessions.unreadable",
                "Session lookups that found a session under a data key this node lacks", tags,
                MetricsSnapshot::sessionsUnreadable);
        counter(metrics, "reprise.sessions.refused", "Sessions the store did not keep because it was full", tags,
                MetricsSnapshot::sessionsRefused);
        FunctionCounter.builder("reprise.sweep", metrics, m -> m.snapshot().sweepMillis() / 1000.0)
                .description("Time spent sweeping expired sessions").baseUnit("seconds").tags(tags)
                .register(registry);
    }

    private void byLabel(ResumptionMetrics metrics, String name, String description, Tags tags, String label,
            Function<MetricsSnapshot, Map<String, Long>> counters) {
        register(metrics, name, description, tags, m -> counters.apply(m.snapshot()).getOrDefault(label, 0L));
    }

    private void counter(ResumptionMetrics metrics, String name, String description, Tags tags,
            ToDoubleFunction<MetricsSnapshot> counter) {
        register(metrics, name, description, tags, m -> counter.applyAsDouble(m.snapshot()));
    }

    private void register(ResumptionMetrics metrics, String name, String description, Tags tags,
            ToDoubleFunction<ResumptionMetrics> value) {
        FunctionCounter.builder(name, metrics, value).description(description).tags(tags).register(registry);
    }
}
