package org.reprise.admin;

import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;
import org.reprise.core.admin.ResumptionAdminMXBean;
import org.reprise.core.metrics.ResumptionMetricsMXBean;

/**
 * Finds the Reprise connectors of this JVM in the platform MBeanServer, afresh on every call, so that
 * connectors started or stopped after deployment are seen and no object is shared with them.
 */
public final class Connectors {

    private static final String DOMAIN = "org.reprise";

    /**
     * One connector's two JMX views.
     *
     * @param name    the connector's Reprise name
     * @param admin   sessions and ticket keys
     * @param metrics the counters
     */
    public record Handle(String name, ResumptionAdminMXBean admin, ResumptionMetricsMXBean metrics) {
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

    /** @return every connector with both views registered, by name */
    public List<Handle> list() {
        return server.queryNames(name("type=ResumptionAdmin,*"), null).stream()
                .map(n -> n.getKeyProperty("connector"))
                .filter(c -> c != null && c.startsWith("\""))
                .map(ObjectName::unquote)
                .sorted(Comparator.naturalOrder())
                .map(this::handle)
                .flatMap(Optional::stream)
                .toList();
    }

    /**
     * @param name a connector's name, or null/blank for the first by name
     * @return that connector, if it is there
     */
    public Optional<Handle> find(@Nullable String name) {
        if (name == null || name.isBlank()) {
            return list().stream().findFirst();
        }
        return handle(name);
    }

    private Optional<Handle> handle(String name) {
        ObjectName adminName = name("type=ResumptionAdmin,connector=" + ObjectName.quote(name));
        ObjectName metricsName = name("type=ResumptionMetrics,connector=" + ObjectName.quote(name));
        if (!server.isRegistered(adminName) || !server.isRegistered(metricsName)) {
            return Optional.empty();
        }
        return Optional.of(new Handle(name, JMX.newMXBeanProxy(server, adminName, ResumptionAdminMXBean.class),
                JMX.newMXBeanProxy(server, metricsName, ResumptionMetricsMXBean.class)));
    }

    private static ObjectName name(String properties) {
        try {
            return new ObjectName(DOMAIN + ":" + properties);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("Not a connector's JMX name: " + properties, e);
        }
    }
}
