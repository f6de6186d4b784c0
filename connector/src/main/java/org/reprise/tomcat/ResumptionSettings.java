package org.reprise.tomcat;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.SessionStore;
import org.reprise.core.ticket.TicketKeyRing;
import org.reprise.core.ticket.TicketKeyStore;

/**
 * Reprise's settings for one connector. Immutable and validated when built; start from
 * {@link #builder()}. Per-host settings stay where Tomcat users know them, on the SSLHostConfig:
 * {@code sessionCacheSize}, {@code sessionTimeout} and {@code disableSessionTickets}.
 *
 * <p>Two connectors given the same {@link SessionStore}, {@link ResumptionMetrics} or
 * {@link TicketKeyRing} instance share it; otherwise each connector makes its own.
 */
public final class ResumptionSettings {

    /** How long a ticket key encrypts before the next one takes over, unless set. */
    public static final Duration DEFAULT_TICKET_KEY_ROTATION = Duration.ofHours(12);
    /** How often expired sessions are swept from the store, unless set. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(60);
    /**
     * The longest {@code ticketKeyRotation}: a key then opens tickets for its week of sealing plus the longest
     * session lifetime, and rotation ahead of time stays within reach of every clock computation.
     */
    public static final Duration MAX_TICKET_KEY_ROTATION = Duration.ofDays(7);
    /** The longest {@code sweepInterval}: expired rows are never resumed, but should not pile up for longer. */
    public static final Duration MAX_SWEEP_INTERVAL = Duration.ofDays(1);
    /** The name of the built-in Bouncy Castle engine, the default {@link #engine()}. */
    public static final String BOUNCY_CASTLE_ENGINE = "bc";

    private static final ResumptionSettings DEFAULTS = builder().build();

    private final Duration ticketKeyRotation;
    private final Duration sweepInterval;
    private final boolean allowLegacyResumption;
    private final String engine;
    private final SessionMode sessionMode;
    private final @Nullable String name;
    private final @Nullable String node;
    private final @Nullable SessionStore sessionStore;
    private final @Nullable TicketKeyStore ticketKeyStore;
    private final @Nullable ResumptionMetrics metrics;
    private final @Nullable TicketKeyRing ticketKeyRing;
    private final Clock clock;

    private ResumptionSettings(Builder b) {
        this.ticketKeyRotation = b.ticketKeyRotation;
        this.sweepInterval = b.sweepInterval;
        this.allowLegacyResumption = b.allowLegacyResumption;
        this.engine = b.engine;
        this.sessionMode = b.sessionMode;
        this.name = b.name;
        this.node = b.node;
        this.sessionStore = b.sessionStore;
        this.ticketKeyStore = b.ticketKeyStore;
        this.metrics = b.metrics;
        this.ticketKeyRing = b.ticketKeyRing;
        this.clock = b.clock;
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the settings a connector gets when nothing is configured */
    public static ResumptionSettings defaults() {
        return DEFAULTS;
    }

    /** @return a builder holding these settings, to derive changed ones */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ticketKeyRotation = ticketKeyRotation;
        b.sweepInterval = sweepInterval;
        b.allowLegacyResumption = allowLegacyResumption;
        b.engine = engine;
        b.sessionMode = sessionMode;
        b.name = name;
        b.node = node;
        b.sessionStore = sessionStore;
        b.ticketKeyStore = ticketKeyStore;
        b.metrics = metrics;
        b.ticketKeyRing = ticketKeyRing;
        b.clock = clock;
        return b;
    }

    /** @return how long each ticket key seals new tickets (server.xml: {@code ticketKeyRotation}) */
    public Duration ticketKeyRotation() {
        return ticketKeyRotation;
    }

    /** @return how often expired sessions are swept from the store (server.xml: {@code sweepInterval}) */
    public Duration sweepInterval() {
        return sweepInterval;
    }

    /** @return this server's name in a cluster, written on every session (server.xml: {@code node}), or null */
    public @Nullable String node() {
        return node;
    }

    /** @return where ticket keys live, or null to keep them in memory (ignored when a ring is given) */
    public @Nullable TicketKeyStore ticketKeyStore() {
        return ticketKeyStore;
    }

    /**
     * @return whether sessions made without the extended master secret may resume when the client does not
     *         offer it either (server.xml: {@code allowLegacyResumption})
     */
    public boolean allowLegacyResumption() {
        return allowLegacyResumption;
    }

    /**
     * @return the engine that runs the handshakes (server.xml: {@code resumptionEngine}): {@code bc}, the
     *         built-in Bouncy Castle engine, or the name of an {@link EngineProvider} such as {@code openssl}
     */
    public String engine() {
        return engine;
    }

    /**
     * @return where sessions are kept by an engine that can choose (server.xml: {@code sessionMode});
     *         the Bouncy Castle engine always stores sessions and issues tickets
     */
    public SessionMode sessionMode() {
        return sessionMode;
    }

    /** @return the connector's Reprise name (server.xml: {@code resumptionName}), or null to use the connector's own name */
    public @Nullable String resumptionName() {
        return name;
    }

    /** @return the session store to use, or null for a per-connector memory store */
    public @Nullable SessionStore sessionStore() {
        return sessionStore;
    }

    /** @return the counters to feed, or null for per-connector counters */
    public @Nullable ResumptionMetrics metrics() {
        return metrics;
    }

    /** @return the ticket keys to use, or null for a per-connector ring rotating every {@link #ticketKeyRotation()} */
    public @Nullable TicketKeyRing ticketKeyRing() {
        return ticketKeyRing;
    }

    /** @return where the connector reads the time: session expiry, ticket key rotation, sweeps */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "ResumptionSettings[ticketKeyRotation=" + ticketKeyRotation + ", sweepInterval=" + sweepInterval
                + ", allowLegacyResumption=" + allowLegacyResumption + ", engine=" + engine
                + ", sessionMode=" + sessionMode + ", resumptionName=" + name + ", node=" + node
                + ", sessionStore="
                + (sessionStore == null ? "memory" : sessionStore.getClass().getName()) + "]";
    }

    /** Builds {@link ResumptionSettings}. Not thread-safe. */
    public static final class Builder {
        private Duration ticketKeyRotation = DEFAULT_TICKET_KEY_ROTATION;
        private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
        private boolean allowLegacyResumption;
        private String engine = BOUNCY_CASTLE_ENGINE;
        private SessionMode sessionMode = SessionMode.STATEFUL;
        private @Nullable String name;
        private @Nullable String node;
        private @Nullable SessionStore sessionStore;
        private @Nullable TicketKeyStore ticketKeyStore;
        private @Nullable ResumptionMetrics metrics;
        private @Nullable TicketKeyRing ticketKeyRing;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * @param rotation how long each ticket key seals tickets; one second to seven days (default 12 hours)
         * @return this builder
         */
        public Builder ticketKeyRotation(Duration rotation) {
            this.ticketKeyRotation = Objects.requireNonNull(rotation, "ticketKeyRotation");
            return this;
        }

        /**
         * @param interval how often to delete expired sessions from the store; one second to one day (default 60 s)
         * @return this builder
         */
        public Builder sweepInterval(Duration interval) {
            this.sweepInterval = Objects.requireNonNull(interval, "sweepInterval");
            return this;
        }

        /** @param node this server's name in a cluster, or null @return this builder */
        public Builder node(@Nullable String node) {
            this.node = node;
            return this;
        }

        /** @param store where ticket keys live (shared by a cluster), or null for memory @return this builder */
        public Builder ticketKeyStore(@Nullable TicketKeyStore store) {
            this.ticketKeyStore = store;
            return this;
        }

        /**
         * @param allow whether to resume sessions made without the extended master secret (default false)
         * @return this builder
         */
        public Builder allowLegacyResumption(boolean allow) {
            this.allowLegacyResumption = allow;
            return this;
        }

        /**
         * @param engine {@code bc} (the default) or the name of an {@link EngineProvider}, such as {@code openssl}
         * @return this builder
         */
        public Builder engine(String engine) {
            this.engine = Objects.requireNonNull(engine, "engine").strip();
            return this;
        }

        /**
         * @param mode where an engine that can choose keeps sessions (default {@link SessionMode#STATEFUL})
         * @return this builder
         */
        public Builder sessionMode(SessionMode mode) {
            this.sessionMode = Objects.requireNonNull(mode, "sessionMode");
            return this;
        }

        /**
         * @param name the connector's Reprise name, as server.xml's {@code resumptionName}: its name in JMX and
         *             the realm its sessions belong to, or null for Tomcat's connector name
         * @return this builder
         */
        public Builder resumptionName(@Nullable String name) {
            this.name = name;
            return this;
        }

        /** @param store where sessions live, or null for a memory store per connector @return this builder */
        public Builder sessionStore(@Nullable SessionStore store) {
            this.sessionStore = store;
            return this;
        }

        /** @param metrics the counters to feed, or null for new ones @return this builder */
        public Builder metrics(@Nullable ResumptionMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /** @param ring the ticket keys, or null for a new ring per connector @return this builder */
        public Builder ticketKeyRing(@Nullable TicketKeyRing ring) {
            this.ticketKeyRing = ring;
            return this;
        }

        /**
         * @param clock where the connector reads the time (default: the system clock in UTC); tests pass one
         *              they control
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the settings
         * @throws IllegalArgumentException naming the setting that is out of range
         */
        public ResumptionSettings build() {
            // Ceilings too: a huge value was accepted and then broke the connector at run time (an Instant past
            // the end of time on every key refresh, a long overflow in the maintenance thread's scheduling)
            if (ticketKeyRotation.compareTo(Duration.ofSeconds(1)) < 0
                    || ticketKeyRotation.compareTo(MAX_TICKET_KEY_ROTATION) > 0) {
                throw new IllegalArgumentException("Reprise setting ticketKeyRotation must be between 1 second and"
                        + " 7 days (7d), not " + ticketKeyRotation);
            }
            if (sweepInterval.compareTo(Duration.ofSeconds(1)) < 0 || sweepInterval.compareTo(MAX_SWEEP_INTERVAL) > 0) {
                throw new IllegalArgumentException("Reprise setting sweepInterval must be between 1 second and 1 day"
                        + " (1d), not " + sweepInterval);
            }
            if (node != null && node.isBlank()) {
                throw new IllegalArgumentException("Reprise setting node must not be blank");
            }
            if (engine.isEmpty()) {
                throw new IllegalArgumentException("Reprise setting resumptionEngine must not be blank");
            }
            if (name != null && name.isBlank()) {
                throw new IllegalArgumentException("Reprise setting resumptionName must not be blank");
            }
            return new ResumptionSettings(this);
        }
    }
}
