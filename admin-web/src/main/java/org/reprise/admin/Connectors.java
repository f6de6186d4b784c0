package org.reprise.admin;

import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;
import org.reprise.core.admin.JmxNames;
import org.reprise.core.admin.ResumptionAdminMXBean;
import org.reprise.core.metrics.ResumptionMetricsMXBean;

/**
 * Finds the Reprise connectors of this JVM in the platform MBeanServer, afresh on every call, so that
 * connectors started or stopped after deployment are seen and no object is shared with them.
 */
public final class Connectors {

    /**
     * One connector's two JMX views.
     *
     * @param name    the connector's Reprise name
     * @param node    the connector's node name, or null if it sets none
     * @param admin   sessions and ticket keys
     * @param metrics the counters
     */
    public record Handle(String name, @Nullable String node, ResumptionAdminMXBean admin,
            ResumptionMetricsMXBean metrics) {
    }

    private final MBeanServer server;

    /** Looks in the platform MBeanServer. */
    public Connectors() {
        this(ManagementFactory.getPlatformMBeanServer());
    }

    /** @param server where the connectors register their MXBeans */
    public Connectors(MBeanServer server) {
        this.server = server;
    }

    /** @return every connector with both views registered, by name (then node) */
    public List<Handle> list() {
        return server.queryNames(JmxNames.every(JmxNames.ADMIN), null).stream()
                .sorted(Comparator.comparing(JmxNames::connector)
                        .thenComparing(n -> Objects.requireNonNullElse(JmxNames.node(n), "")))
                .map(this::handle)
                .flatMap(Optional::stream)
                .toList();
    }

    /**
     * @param name a connector's name, or null/blank for the first by name
     * @return that connector (the first by node, if several nodes of one cluster run in this JVM), if it is there
     */
    public Optional<Handle> find(@Nullable String name) {
        return list().stream().filter(h -> name == null || name.isBlank() || h.name().equals(name)).findFirst();
    }

    private Optional<Handle> handle(ObjectName adminName) {
        ObjectName metricsName = JmxNames.sibling(adminName, JmxNames.METRICS);
        if (!server.isRegistered(adminName) || !server.isRegistered(metricsName)) {
            return Optional.empty();
        }
        return Optional.of(new Handle(JmxNames.connector(adminName), JmxNames.node(adminName),
                JMX.newMXBeanProxy(server, adminName, ResumptionAdminMXBean.class),
                JMX.newMXBeanProxy(server, metricsName, ResumptionMetricsMXBean.class)));
    }
}
