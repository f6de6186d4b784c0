/**
 * Resumption counters, named after OpenSSL's {@code SSL_CTX_sess_*} statistics and HAProxy's where
 * those exist. Counting is lock-free and allocation-free, so it is safe on the handshake path.
 */
@NullMarked
package org.reprise.core.metrics;

import org.jspecify.annotations.NullMarked;
