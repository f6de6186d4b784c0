package org.reprise.core.internal;

import java.time.Clock;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.reprise.core.internal.ticket.TicketSealer;
import org.reprise.core.metrics.ResumptionMetrics;
import org.reprise.core.session.SessionStore;
import org.reprise.core.ticket.TicketKeyRing;

/**
 * What an engine needs to resume sessions for one connector: where sessions are kept, the ticket keys
 * and their sealer, the counters, and the clock. Every engine of the connector shares one instance.
 *
 * @param store   the session database
 * @param keyRing the ticket keys
 * @param sealer  seals and opens tickets under {@code keyRing}
 * @param metrics the counters
 * @param clock   the time source for creation, expiry and key rotation
 * @param node    this server's name in a cluster, written on every session it makes; null for none
 * @param realm   the realm every session this connector makes belongs to, and the only one it resumes: the
 *                connector's name, shared by the nodes of one cluster (see
 *                {@link org.reprise.core.session.SessionRecord#realm()})
 */
public record ResumptionContext(SessionStore store, TicketKeyRing keyRing, TicketSealer sealer,
        ResumptionMetrics metrics, Clock clock, @Nullable String node, String realm) {

    /** Checks that nothing is missing. */
    public ResumptionContext {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(keyRing, "keyRing");
        Objects.requireNonNull(sealer, "sealer");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(realm, "realm");
    }
}
