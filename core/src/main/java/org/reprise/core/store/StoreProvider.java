package org.reprise.core.store;

import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.reprise.core.metrics.ResumptionMetrics;

/**
 * Makes the stores a connector names with its {@code store} attribute (for example {@code store="jdbc"}).
 * Implementations are listed in {@code META-INF/services/org.reprise.core.store.StoreProvider} and must
 * have a public no-argument constructor.
 */
public interface StoreProvider {

    /** @return the value of the connector's {@code store} attribute that selects this provider */
    String name();

    /** @return the connector attributes this provider reads; the connector accepts them on its element */
    Set<String> attributeNames();

    /**
     * Checks the attributes and opens the stores. Opening must not wait for a database: the first
     * connection may be made later (Tomcat configures TLS before JNDI resources exist).
     *
     * @param attributes the connector's attributes among {@link #attributeNames()}, as written
     * @param node       this server's node name, or null
     * @param metrics    the connector's counters, for store errors and dropped writes
     * @return the opened stores
     * @throws IllegalArgumentException naming the attribute that is missing or wrong, and what to set
     */
    ResumptionStores open(Map<String, String> attributes, @Nullable String node,
            ResumptionMetrics metrics);
}
