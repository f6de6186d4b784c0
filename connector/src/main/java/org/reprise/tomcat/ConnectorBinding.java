package org.reprise.tomcat;

import java.time.Duration;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.reprise.core.internal.ResumptionContext;

/**
 * What a connector hands the engine that runs its handshakes: its settings and its resumption state.
 * Thread-safe.
 *
 * <p>An engine's SSL context calls {@link #open()} when it is initialised and {@link #close()} when it is
 * destroyed: the connector registers its MBeans with the first and releases its store with the last.
 */
public interface ConnectorBinding {

    /** @return the connector's name in JMX and logs */
    String name();

    /** @return the connector's Reprise settings */
    ResumptionSettings settings();

    /**
     * The connector's session store, ticket key ring and counters, made on the first call: call it when a
     * connection needs it, not while the SSL context is built, so that every SSLHostConfig is known first.
     *
     * @return the resumption context
     */
    ResumptionContext context();

    /**
     * @param host one of the connector's SSLHostConfigs
     * @return how long its sessions and tickets stay resumable ({@code sessionTimeout}, 1 day when unset)
     * @throws IllegalArgumentException if the host sets {@code sessionTimeout="0"} or more than 7 days (604800
     *                                  seconds, the TLS 1.3 ticket lifetime limit), which Reprise rejects
     */
    Duration sessionTimeout(SSLHostConfig host);

    /** Notes one more SSL context of this connector in use. */
    void open();

    /** Notes that one SSL context of this connector was destroyed. */
    void close();
}
