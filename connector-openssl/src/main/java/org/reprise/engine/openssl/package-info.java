/**
 * Reprise's OpenSSL engine: an SSLEngine of Reprise's own over libssl through Java's foreign function API,
 * with Reprise's session cache and ticket key callbacks installed on each {@code SSL_CTX}, so TLS 1.2 and
 * TLS 1.3 sessions resume through the connector's session store and ticket key ring. A connection costs one
 * {@code SSL} and two memory BIOs, freed when it closes: no arena and no upcall stub per connection, so no
 * JVM-wide pause. Selected with {@code resumptionEngine="openssl"}; needs Java 22 or later and OpenSSL 3.
 */
@NullMarked
package org.reprise.engine.openssl;

import org.jspecify.annotations.NullMarked;
