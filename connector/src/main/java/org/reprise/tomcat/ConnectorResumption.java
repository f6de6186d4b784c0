package org.reprise.tomcat;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.jspecify.annotations.Nullable;
import org.reprise.core.admin.JmxNames;
import org.reprise.core.internal.ResumptionContext;
import org.reprise.core.internal.ticket.TicketSealer;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.MemorySessionStore;
import org.reprise.core.session.SessionStore;
import org.reprise.core.ticket.TicketKeyRing;
import org.reprise.core.ticket.TicketKeyStore;

/**
 * The resumption state of one connector: its counters (registered in JMX), and, made once every
 * SSLHostConfig is known, its session store and ticket key ring.
 *
 * <p>The store and ring are made when the connector starts (with Reprise's protocol classes) or else on the
 * first connection, since their size and key lifetime follow the largest {@code sessionCacheSize} and
 * {@code sessionTimeout} of the connector's SSLHostConfigs. Making them waits (up to
 * {@link #STARTUP_WAIT}) for the store's first connection and loads the cluster's ticket keys, so that the
 * first handshakes neither miss because the node is new nor seal tickets under a key of the node's own.
 * Once made, a {@link Maintenance} thread refreshes the ring from its key store and sweeps expired
 * sessions. The state lives as long as the connector's SSL contexts: when the last one is destroyed, the
 * MBean is unregistered and a store Reprise made is closed.
 */
final class ConnectorResumption implements ConnectorBinding {

    /** JSSE's default session cache size, used when an SSLHostConfig leaves {@code sessionCacheSize} unset. */
    static final int DEFAULT_CACHE_SIZE = 20480;
    /** How long a starting connector waits for its session store's first connection. */
    static final Duration STARTUP_WAIT = Duration.ofSeconds(10);
    /** Tomcat's default {@code sessionTimeout}. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofDays(1);
    /**
     * The longest {@code sessionTimeout}: RFC 8446 4.6.1 caps a TLS 1.3 ticket's lifetime at 7 days, and a
     * client discards a ticket announcing more, so a longer timeout could only fail silently.
     */
    static final Duration MAX_TIMEOUT = Duration.ofDays(7);

    private static final Log log = LogFactory.getLog(ConnectorResumption.class);

    private final ResumptionSettings settings;
    private final String name;
    private final ResumptionMetrics metrics;
    private final ConnectorAdmin admin = new ConnectorAdmin(this);
    private final SecureRandom random = new SecureRandom();
    private List<ObjectName> objectNames = List.of();

    private long largestCacheSize;
    private Duration longestTimeout = Duration.ZERO;
    private int openContexts;
    private volatile @Nullable ResumptionContext context;
    private @Nullable Maintenance maintenance;
    private @Nullable EngineProvider engine;

    ConnectorResumption(ResumptionSettings settings, String name) {
        this.settings = settings;
        this.name = settings.resumptionName() != null ? settings.resumptionName() : name;
        this.metrics = settings.metrics() != null ? settings.metrics() : new ResumptionMetrics();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ResumptionSettings settings() {
        return settings;
    }

    ResumptionMetrics metrics() {
        return metrics;
    }

    ConnectorAdmin admin() {
        return admin;
    }

    /**
     * @return the engine {@code resumptionEngine} names, found once
     * @throws IllegalStateException if it is missing or cannot run here
     */
    synchronized EngineProvider engine() {
        if (engine == null) {
            engine = Engines.find(settings.engine());
        }
        return engine;
    }

    /** Notes a host's cache size and timeout; they shape the store and ring made on first use. */
    synchronized void register(SSLHostConfig host) {
        largestCacheSize = Math.max(largestCacheSize, cacheSize(host));
        Duration timeout = timeout(host);
        if (timeout.compareTo(longestTimeout) > 0) {
            longestTimeout = timeout;
        }
    }

    static long cacheSize(SSLHostConfig host) {
        int configured = host.getSessionCacheSize();
        if (configured < 0) {
            return DEFAULT_CACHE_SIZE;
        }
        return configured == 0 ? Long.MAX_VALUE : configured;
    }

    static Duration timeout(SSLHostConfig host) {
        int configured = host.getSessionTimeout();
        if (configured == 0) {
            throw new IllegalArgumentException("SSLHostConfig " + host.getHostName()
                    + ": sessionTimeout=\"0\" (no limit) is not supported by Reprise; set a number of seconds");
        }
        if (configured < 0) {
            return DEFAULT_TIMEOUT;
        }
        Duration timeout = Duration.ofSeconds(configured);
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("SSLHostConfig " + host.getHostName() + ": sessionTimeout=\""
                    + configured + "\" is above Reprise's limit of 7 days (" + MAX_TIMEOUT.toSeconds() + " seconds),"
                    + " the longest lifetime a TLS 1.3 ticket may have (RFC 8446 4.6.1); set at most "
                    + MAX_TIMEOUT.toSeconds());
        }
        return timeout;
    }

    @Override
    public Duration sessionTimeout(SSLHostConfig host) {
        return timeout(host);
    }

    /** @return the store, ring and counters, made on first call */
    @Override
    public ResumptionContext context() {
        ResumptionContext c = context;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (context == null) {
                context = create();
            }
            return context;
        }
    }

    private ResumptionContext create() {
        SessionStore store = settings.sessionStore() != null ? settings.sessionStore()
                : new MemorySessionStore(largestCacheSize > 0 ? largestCacheSize : DEFAULT_CACHE_SIZE, settings.clock());
        Duration lifetime = longestTimeout.isZero() ? DEFAULT_TIMEOUT : longestTimeout;
        TicketKeyRing ring = settings.ticketKeyRing() != null ? settings.ticketKeyRing() : newRing(lifetime);
        ResumptionContext created = new ResumptionContext(store, ring, new TicketSealer(ring, random), metrics,
                settings.clock(), settings.node(), name);
        boolean ready;
        try {
            ready = store.awaitReady(STARTUP_WAIT);
        } catch (IllegalStateException refused) {
            // the store must not be used by this node (for a JDBC store: a data key that opens none of the
            // rows in use): a startup failure, so that the connector does not accept connections
            throw new IllegalStateException("Reprise connector " + name + " does not start: " + refused.getMessage(),
                    refused);
        }
        if (!ready) {
            log.warn("Reprise connector " + name + ": the session store did not answer within "
                    + STARTUP_WAIT.toSeconds() + " s of starting; until it does, handshakes that ask to resume are"
                    + " full handshakes (counted as store errors) and ticket keys are this node's own");
        }
        try {
            // Load the keys other nodes made before the first handshake needs them, so that a node that has
            // just started seals with the cluster's key and opens the tickets of the others. The handshake
            // itself never calls the key store.
            ring.refresh();
        } catch (RuntimeException storeUnavailable) {
            // the maintenance thread tries again (the ring backs off), and logs the failure if it lasts
        }
        // Never fails nor calls the store: with the key store down it makes a key of this node's own, here
        // rather than on the first handshake, until maintenance loads a stored one
        ring.encryptionKey();
        maintenance = new Maintenance(created, name, settings.sweepInterval());
        return created;
    }

    /** A ring of the connector's own, over the key store of the settings or else over keys in memory. */
    private TicketKeyRing newRing(Duration lifetime) {
        TicketKeyStore keyStore = settings.ticketKeyStore();
        TicketKeyRing.RotationListener counted = key -> metrics.keyRotated();
        return keyStore == null
                ? new TicketKeyRing(settings.ticketKeyRotation(), lifetime, settings.clock(), random, counted)
                : new TicketKeyRing(settings.ticketKeyRotation(), lifetime, settings.clock(), random, counted, keyStore);
    }

    /**
     * @throws IllegalStateException if another connector of this JVM has the same {@code resumptionName} and
     *                               {@code node}: it would be missing from JMX and the admin page
     */
    @Override
    public synchronized void open() {
        if (openContexts == 0) {
            registerMBean();
        }
        openContexts++;
    }

    @Override
    public synchronized void close() {
        if (openContexts == 0 || --openContexts > 0) {
            return;
        }
        unregisterMBean();
        if (maintenance != null) {
            maintenance.close();
            maintenance = null;
        }
        ResumptionContext c = context;
        if (c != null && settings.sessionStore() == null) {
            c.store().close();
        }
        context = null;
    }

    private void registerMBean() {
        ObjectName metricsName = JmxNames.of(JmxNames.METRICS, name, settings.node());
        ObjectName adminName = JmxNames.of(JmxNames.ADMIN, name, settings.node());
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.registerMBean(metrics, metricsName);
        } catch (InstanceAlreadyExistsException e) {
            throw duplicate();
        } catch (JMException e) {
            log.warn("Reprise connector " + name + " is not in JMX: " + e.getMessage());
            return;
        }
        try {
            server.registerMBean(new ResumptionAdmin(this), adminName);
        } catch (JMException e) {
            unregister(metricsName);
            if (e instanceof InstanceAlreadyExistsException) {
                throw duplicate();
            }
            log.warn("Reprise connector " + name + " is not in JMX: " + e.getMessage());
            return;
        }
        objectNames = List.of(metricsName, adminName);
    }

    private IllegalStateException duplicate() {
        String node = settings.node();
        return new IllegalStateException("Reprise setting resumptionName=\"" + name + "\"" + (node == null ? ""
                : " with node=\"" + node + "\"") + " is already used by another connector of this JVM, which has"
                + " the JMX names and the admin page entry this one would have; give each connector its own"
                + " resumptionName (nodes of one cluster share it, and then each sets a node of its own)");
    }

    private void unregisterMBean() {
        objectNames.forEach(ConnectorResumption::unregister);
        objectNames = List.of();
    }

    private static void unregister(ObjectName registered) {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
        } catch (JMException e) {
            log.debug("Reprise MBean already gone: " + registered);
        }
    }
}
