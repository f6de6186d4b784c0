/**
 * The management view of one connector's resumption state, published in JMX so that a separate web
 * application (the admin page) can list and purge sessions and manage ticket keys without sharing any
 * object, class loader or static state with the connector.
 */
@NullMarked
package org.reprise.core.admin;

import org.jspecify.annotations.NullMarked;
