package org.reprise.core.session;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything Reprise keeps about one resumable TLS session: what the session was bound to when it was
 * made (realm, protocol, cipher suite, SSLHostConfig, SNI name, client identity), its lifetime, how it has
 * been used, and the engine's opaque secret state.
 *
 * <p>A session renewed from another (a TLS 1.3 resumption issues a new ticket, which is a new session)
 * keeps its {@link #origin() origin} and its {@link #authenticated() authentication time}: a purge of the
 * origin reaches every session renewed from it, and no renewal extends how long the first handshake's
 * authentication counts (RFC 8446, 4.6.1).
 *
 * <p>Immutable and thread-safe. The secret state (a master secret and whatever else the engine needs
 * to resume) is only reachable through {@link #secretState()}; {@link #toString()}, listings and logs
 * never show it.
 */
public final class SessionRecord {

    private final SessionId id;
    private final SessionId origin;
    private final String realm;
    private final String protocol;
    private final String cipherSuite;
    private final String hostConfig;
    private final @Nullable String sniHost;
    private final Instant created;
    private final Instant authenticated;
    private final Instant expires;
    private final @Nullable Instant lastResumed;
    private final long resumeCount;
    private final @Nullable String peerIdentity;
    private final String engine;
    private final @Nullable String node;
    private final byte[] secretState;

    private SessionRecord(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.origin = b.origin != null ? b.origin : id;
        this.realm = Objects.requireNonNull(b.realm, "realm");
        this.protocol = Objects.requireNonNull(b.protocol, "protocol");
        this.cipherSuite = Objects.requireNonNull(b.cipherSuite, "cipherSuite");
        this.hostConfig = Objects.requireNonNull(b.hostConfig, "hostConfig");
        this.sniHost = b.sniHost;
        this.created = Objects.requireNonNull(b.created, "created");
        this.authenticated = b.authenticated != null ? b.authenticated : created;
        this.expires = Objects.requireNonNull(b.expires, "expires");
        this.lastResumed = b.lastResumed;
        this.resumeCount = b.resumeCount;
        this.peerIdentity = b.peerIdentity;
        this.engine = Objects.requireNonNull(b.engine, "engine");
        this.node = b.node;
        this.secretState = Objects.requireNonNull(b.secretState, "secretState").clone();
        if (expires.isBefore(created)) {
            throw new IllegalArgumentException("A session cannot expire before it is created");
        }
        if (authenticated.isAfter(created)) {
            throw new IllegalArgumentException("A session cannot be authenticated after it is created");
        }
        if (resumeCount < 0) {
            throw new IllegalArgumentException("resumeCount must not be negative");
        }
    }

    /** @return a builder with no fields set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this record's fields, to derive a changed copy */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.origin = origin;
        b.realm = realm;
        b.protocol = protocol;
        b.cipherSuite = cipherSuite;
        b.hostConfig = hostConfig;
        b.sniHost = sniHost;
        b.created = created;
        b.authenticated = authenticated;
        b.expires = expires;
        b.lastResumed = lastResumed;
        b.resumeCount = resumeCount;
        b.peerIdentity = peerIdentity;
        b.engine = engine;
        b.node = node;
        b.secretState = secretState;
        return b;
    }

    /**
     * Records one more resumption of this session.
     *
     * @param at when the session was resumed
     * @return a copy with the resume count raised by one and {@code lastResumed} set
     */
    public SessionRecord resumedAt(Instant at) {
        Builder b = toBuilder();
        b.lastResumed = at;
        b.resumeCount = resumeCount + 1;
        return b.build();
    }

    /**
     * @param now the current time
     * @return whether the session may no longer be resumed at {@code now}
     */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expires);
    }

    /** @return the session ID */
    public SessionId id() {
        return id;
    }

    /**
     * @return the session this one was renewed from, first of its line; the session's own ID if a full
     *         handshake made it
     */
    public SessionId origin() {
        return origin;
    }

    /**
     * @return the realm the session belongs to: the connector (and cluster) that made it; it resumes in
     *         that realm only
     */
    public String realm() {
        return realm;
    }

    /** @return the negotiated protocol, in JSSE's spelling ({@code TLSv1.2}) */
    public String protocol() {
        return protocol;
    }

    /** @return the negotiated cipher suite, by its IANA name */
    public String cipherSuite() {
        return cipherSuite;
    }

    /** @return the name of the SSLHostConfig that made the session */
    public String hostConfig() {
        return hostConfig;
    }

    /** @return the server name the client sent (SNI), lower case, or null if it sent none */
    public @Nullable String sniHost() {
        return sniHost;
    }

    /** @return when the full handshake that made the session completed */
    public Instant created() {
        return created;
    }

    /**
     * @return when the full handshake that authenticated the session's line completed: {@link #created()}
     *         for a session made by a full handshake, the origin's for a renewed one
     */
    public Instant authenticated() {
        return authenticated;
    }

    /** @return the first instant at which the session can no longer be resumed */
    public Instant expires() {
        return expires;
    }

    /** @return when the session was last resumed, or null if never */
    public @Nullable Instant lastResumed() {
        return lastResumed;
    }

    /** @return how many times the session has been resumed */
    public long resumeCount() {
        return resumeCount;
    }

    /** @return a summary of the client certificate (its subject), or null without one */
    public @Nullable String peerIdentity() {
        return peerIdentity;
    }

    /** @return the name of the engine that made the session, which alone can read its secret state */
    public String engine() {
        return engine;
    }

    /** @return the name of the server node that made the session, or null if it has none */
    public @Nullable String node() {
        return node;
    }

    /**
     * The engine's secret state. Whoever holds it can decrypt the session's traffic: keep it in
     * memory, or encrypt it before it leaves the process.
     *
     * @return a copy of the engine's opaque secret state
     */
    public byte[] secretState() {
        return secretState.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionRecord other
                && id.equals(other.id)
                && origin.equals(other.origin)
                && realm.equals(other.realm)
                && protocol.equals(other.protocol)
                && cipherSuite.equals(other.cipherSuite)
                && hostConfig.equals(other.hostConfig)
                && Objects.equals(sniHost, other.sniHost)
                && created.equals(other.created)
                && authenticated.equals(other.authenticated)
                && expires.equals(other.expires)
                && Objects.equals(lastResumed, other.lastResumed)
                && resumeCount == other.resumeCount
                && Objects.equals(peerIdentity, other.peerIdentity)
                && engine.equals(other.engine)
                && Objects.equals(node, other.node)
                && java.security.MessageDigest.isEqual(secretState, other.secretState);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    /** @return the record's public fields; never the secret state */
    @Override
    public String toString() {
        return "SessionRecord[id=" + id.shortHex() + ", origin=" + origin.shortHex() + ", realm=" + realm
                + ", protocol=" + protocol + ", cipherSuite=" + cipherSuite
                + ", hostConfig=" + hostConfig + ", sniHost=" + sniHost + ", created=" + created
                + ", authenticated=" + authenticated + ", expires=" + expires + ", lastResumed=" + lastResumed + ", resumeCount=" + resumeCount
                + ", peerIdentity=" + peerIdentity + ", engine=" + engine + ", node=" + node + "]";
    }

    /** Builds a {@link SessionRecord}; every field but the nullable ones must be set. Not thread-safe. */
    public static final class Builder {
        private @Nullable SessionId id;
        private @Nullable SessionId origin;
        private @Nullable String realm;
        private @Nullable String protocol;
        private @Nullable String cipherSuite;
        private @Nullable String hostConfig;
        private @Nullable String sniHost;
        private @Nullable Instant created;
        private @Nullable Instant authenticated;
        private @Nullable Instant expires;
        private @Nullable Instant lastResumed;
        private long resumeCount;
        private @Nullable String peerIdentity;
        private @Nullable String engine;
        private @Nullable String node;
        private byte @Nullable [] secretState;

        private Builder() {
        }

        /** @param id the session ID @return this builder */
        public Builder id(SessionId id) {
            this.id = id;
            return this;
        }

        /**
         * @param origin the session this one was renewed from (its origin's, if that was renewed too), or
         *               null for a session made by a full handshake
         * @return this builder
         */
        public Builder origin(@Nullable SessionId origin) {
            this.origin = origin;
            return this;
        }

        /** @param realm the realm of the connector that made the session @return this builder */
        public Builder realm(String realm) {
            this.realm = realm;
            return this;
        }

        /** @param protocol the negotiated protocol ({@code TLSv1.2}) @return this builder */
        public Builder protocol(String protocol) {
            this.protocol = protocol;
            return this;
        }

        /** @param cipherSuite the IANA name of the negotiated cipher suite @return this builder */
        public Builder cipherSuite(String cipherSuite) {
            this.cipherSuite = cipherSuite;
            return this;
        }

        /** @param hostConfig the SSLHostConfig name @return this builder */
        public Builder hostConfig(String hostConfig) {
            this.hostConfig = hostConfig;
            return this;
        }

        /** @param sniHost the SNI name the client sent, or null @return this builder */
        public Builder sniHost(@Nullable String sniHost) {
            this.sniHost = sniHost;
            return this;
        }

        /** @param created when the session was made @return this builder */
        public Builder created(Instant created) {
            this.created = created;
            return this;
        }

        /**
         * @param authenticated when the full handshake that authenticated the session's line completed, or
         *                      null for {@link #created(Instant) created}
         * @return this builder
         */
        public Builder authenticated(@Nullable Instant authenticated) {
            this.authenticated = authenticated;
            return this;
        }

        /** @param expires when the session stops being resumable @return this builder */
        public Builder expires(Instant expires) {
            this.expires = expires;
            return this;
        }

        /** @param lastResumed the last resumption, or null @return this builder */
        public Builder lastResumed(@Nullable Instant lastResumed) {
            this.lastResumed = lastResumed;
            return this;
        }

        /** @param resumeCount how often the session was resumed @return this builder */
        public Builder resumeCount(long resumeCount) {
            this.resumeCount = resumeCount;
            return this;
        }

        /** @param peerIdentity the client certificate's subject, or null @return this builder */
        public Builder peerIdentity(@Nullable String peerIdentity) {
            this.peerIdentity = peerIdentity;
            return this;
        }

        /** @param engine the engine's name @return this builder */
        public Builder engine(String engine) {
            this.engine = engine;
            return this;
        }

        /** @param node the server node's name, or null @return this builder */
        public Builder node(@Nullable String node) {
            this.node = node;
            return this;
        }

        /** @param secretState the engine's opaque secret state (copied on build) @return this builder */
        public Builder secretState(byte[] secretState) {
            this.secretState = secretState;
            return this;
        }

        /**
         * @return the record
         * @throws NullPointerException if a required field is missing
         * @throws IllegalArgumentException if the fields contradict each other
         */
        public SessionRecord build() {
            return new SessionRecord(this);
        }
    }
}
