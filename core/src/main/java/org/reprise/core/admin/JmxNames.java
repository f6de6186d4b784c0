package org.reprise.core.admin;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;

/**
 * Where a connector's two views are in JMX, written once for the connector that registers them and the admin
 * page that looks them up: {@code org.reprise:type=ResumptionMetrics,connector="<resumptionName>"} (the
 * counters) and {@code org.reprise:type=ResumptionAdmin,connector="<resumptionName>"} (sessions and keys),
 * each with {@code ,node="<node>"} added when the connector sets a node name. A connector is identified in
 * a JVM by its name and node together: the nodes of one cluster share a name (it is their realm), and tests
 * run several nodes in one JVM.
 */
public final class JmxNames {

    /** The JMX domain of every Reprise MBean. */
    public static final String DOMAIN = "org.reprise";
    /** The {@code type} of a connector's counters, {@link org.reprise.core.metrics.ResumptionMetricsMXBean}. */
    public static final String METRICS = "ResumptionMetrics";
    /** The {@code type} of a connector's {@link ResumptionAdminMXBean}. */
    public static final String ADMIN = "ResumptionAdmin";

    private static final String CONNECTOR = "connector";
    private static final String NODE = "node";

    private JmxNames() {
    }

    /**
     * @param type      {@link #METRICS} or {@link #ADMIN}
     * @param connector the connector's Reprise name
     * @param node      the connector's node name, or null
     * @return that view's name
     * @throws IllegalArgumentException if {@code type} is neither
     */
    public static ObjectName of(String type, String connector, @Nullable String node) {
        if (!type.equals(METRICS) && !type.equals(ADMIN)) {
            throw new IllegalArgumentException("Not a Reprise MBean type: " + type);
        }
        return parse(DOMAIN + ":type=" + type + "," + CONNECTOR + "=" + ObjectName.quote(connector)
                + (node == null ? "" : "," + NODE + "=" + ObjectName.quote(node)));
    }

    /** @return a pattern matching every connector's view of {@code type} */
    public static ObjectName every(String type) {
        return parse(DOMAIN + ":type=" + type + ",*");
    }

    /**
     * @param name a name {@link #of} made
     * @param type the other view's type
     * @return the same connector's view of {@code type}
     */
    public static ObjectName sibling(ObjectName name, String type) {
        return of(type, connector(name), node(name));
    }

    /**
     * @param name a name {@link #of} made
     * @return its connector's Reprise name
     * @throws IllegalArgumentException if it names no connector
     */
    public static String connector(ObjectName name) {
        String quoted = name.getKeyProperty(CONNECTOR);
        if (quoted == null || !quoted.startsWith("\"")) {
            throw new IllegalArgumentException("Not a Reprise connector's JMX name: " + name);
        }
        return ObjectName.unquote(quoted);
    }

    /**
     * @param name a name {@link #of} made
     * @return its connector's node name, or null
     */
    public static @Nullable String node(ObjectName name) {
        String quoted = name.getKeyProperty(NODE);
        return quoted == null ? null : ObjectName.unquote(quoted);
    }

    private static ObjectName parse(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("Not a JMX name: " + name, e);
        }
    }
}
