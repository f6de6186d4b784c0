/**
 * How a connector finds a store that is not built in: a {@link org.reprise.core.store.StoreProvider},
 * discovered with {@link java.util.ServiceLoader}, turns the connector's attributes into a
 * {@link org.reprise.core.store.ResumptionStores}.
 */
@NullMarked
package org.reprise.core.store;

import org.jspecify.annotations.NullMarked;
