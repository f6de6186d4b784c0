/**
 * Reprise's sessions and ticket keys in a SQL database, shared by every node of a cluster: PostgreSQL
 * for clusters, H2 as the embedded single-node default.
 *
 * <p>Entry points: {@link org.reprise.store.jdbc.JdbcStoreProvider} (the connector's {@code store="jdbc"}),
 * or {@link org.reprise.store.jdbc.JdbcStores#open} with a {@link org.reprise.store.jdbc.JdbcStoreConfig}
 * from code. Secrets are encrypted at rest with the {@link org.reprise.store.jdbc.DataKeys}.
 */
@NullMarked
package org.reprise.store.jdbc;

import org.jspecify.annotations.NullMarked;
