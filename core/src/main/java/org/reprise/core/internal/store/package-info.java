/**
 * Typed reading of a store's connector attributes ({@link org.reprise.core.internal.store.AttributeValues}), shared
 * by the connector and the JDBC store. Not API: see {@link org.reprise.core.internal}.
 */
@NullMarked
package org.reprise.core.internal.store;

import org.jspecify.annotations.NullMarked;
