package org.reprise.core.admin;

import javax.management.ConstructorParameters;
import org.jspecify.annotations.Nullable;

/**
 * One session as the admin page shows it: every public field of a session record, never its secret
 * state. Times are epoch milliseconds (0 for "never"), so the type crosses JMX as open data.
 */
public final class SessionView {

    private final String id;
    private final String hostConfig;
    private final @Nullable String sniHost;
    private final String protocol;
    private final String cipherSuite;
    private final long created;
    private final long expires;
    private final long lastResumed;
    private final long resumeCount;
    private final @Nullable String node;
    private final String engine;
    private final @Nullable String peerIdentity;

    /**
     * @param id           the session ID, hexadecimal
     * @param hostConfig   the SSLHostConfig name
     * @param sniHost      the SNI name the client sent, or null
     * @param protocol     the protocol
     * @param cipherSuite  the cipher suite
     * @param created      when it was made
     * @param expires      when it stops being resumable
     * @param lastResumed  when it was last resumed; 0 if never
     * @param resumeCount  how often it was resumed
     * @param node         the node that made it, or null
     * @param engine       the engine that made it
     * @param peerIdentity the client certificate's subject, or null
     */
    @ConstructorParameters({"id", "hostConfig", "sniHost", "protocol", "cipherSuite", "created", "expires",
            "lastResumed", "resumeCount", "node", "engine", "peerIdentity"})
    public SessionView(String id, String hostConfig, @Nullable String sniHost, String protocol, String cipherSuite,
            long created, long expires, long lastResumed, long resumeCount, @Nullable String node, String engine,
            @Nullable String peerIdentity) {
        this.id = id;
        this.hostConfig = hostConfig;
        this.sniHost = sniHost;
        this.protocol = protocol;
        this.cipherSuite = cipherSuite;
        this.created = created;
        this.expires = expires;
        this.lastResumed = lastResumed;
        this.resumeCount = resumeCount;
        this.node = node;
        this.engine = engine;
        this.peerIdentity = peerIdentity;
    }

    /** @return the session ID, hexadecimal */
    public String getId() {
        return id;
    }

    /** @return the SSLHostConfig name */
    public String getHostConfig() {
        return hostConfig;
    }

    /** @return the SNI name the client sent, or null */
    public @Nullable String getSniHost() {
        return sniHost;
    }

    /** @return the protocol */
    public String getProtocol() {
        return protocol;
    }

    /** @return the cipher suite */
    public String getCipherSuite() {
        return cipherSuite;
    }

    /** @return when it was made, epoch milliseconds */
    public long getCreated() {
        return created;
    }

    /** @return when it stops being resumable, epoch milliseconds */
    public long getExpires() {
        return expires;
    }

    /** @return when it was last resumed, epoch milliseconds; 0 if never */
    public long getLastResumed() {
        return lastResumed;
    }

    /** @return how often it was resumed */
    public long getResumeCount() {
        return resumeCount;
    }

    /** @return the node that made it, or null */
    public @Nullable String getNode() {
        return node;
    }

    /** @return the engine that made it */
    public String getEngine() {
        return engine;
    }

    /** @return the client certificate's subject, or null */
    public @Nullable String getPeerIdentity() {
        return peerIdentity;
    }
}
