/**
 * Reprise's engine-neutral core: what a resumable TLS session is, where sessions and ticket keys are kept, and
 * what is counted. Nothing here knows Tomcat, Bouncy Castle or JDBC.
 *
 * <p>The API, for code that embeds or extends Reprise:
 * <ul>
 *   <li>{@code org.reprise.core.session}: the session record and the {@code SessionStore} SPI, with the in-memory
 *       store;</li>
 *   <li>{@code org.reprise.core.ticket}: the {@code TicketKeyStore} SPI, its {@code TicketKey}s, and the rotating
 *       {@code TicketKeyRing} a connector's settings may take;</li>
 *   <li>{@code org.reprise.core.store}: the {@code StoreProvider} SPI that plugs a store in by name;</li>
 *   <li>{@code org.reprise.core.metrics}: the counters and their snapshot;</li>
 *   <li>{@code org.reprise.core.admin}: the JMX names, MXBean and views the admin page reads.</li>
 * </ul>
 *
 * <p>{@code org.reprise.core.internal} and its sub-packages are the machinery Reprise's engines and stores share
 * (the resumption policy, the ticket sealer, the ticket encoding of a session); they are exported only to those
 * modules, by the names their jars declare ({@code Automatic-Module-Name}). ModuleApiTest keeps this list and the
 * unqualified exports equal.
 */
// The modules named in the qualified exports are built after this one, so javac cannot see them here
@SuppressWarnings("module")
module org.reprise.core {
    requires transitive java.management;
    requires static transitive org.jspecify;

    exports org.reprise.core.admin;
    exports org.reprise.core.metrics;
    exports org.reprise.core.session;
    exports org.reprise.core.store;
    exports org.reprise.core.ticket;

    exports org.reprise.core.internal to org.reprise.tomcat, org.reprise.engine.openssl;
    exports org.reprise.core.internal.policy to org.reprise.tomcat, org.reprise.engine.openssl;
    exports org.reprise.core.internal.session to org.reprise.tomcat;
    exports org.reprise.core.internal.store to org.reprise.tomcat, org.reprise.store.jdbc;
    exports org.reprise.core.internal.ticket to org.reprise.tomcat;
}
