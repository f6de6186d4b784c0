/**
 * The resumable session record and the {@link org.reprise.core.session.SessionStore} SPI, modelled on
 * GnuTLS's {@code gnutls_db_set_store/retrieve/remove_function}: a store keeps records by session ID,
 * never hands back an expired one, and can be swept, listed and purged.
 */
@NullMarked
package org.reprise.core.session;

import org.jspecify.annotations.NullMarked;
