/**
 * Reprise's OpenSSL engine: Tomcat 11's own OpenSSL binding (Java's foreign function API) with Reprise's
 * session cache and ticket key callbacks installed on each {@code SSL_CTX}, so TLS 1.2 and TLS 1.3 sessions
 * resume through the connector's session store and ticket key ring. Selected with
 * {@code resumptionEngine="openssl"}; needs Java 22 or later, Tomcat's {@code tomcat-coyote-ffm.jar} and
 * OpenSSL 3.
 */
@NullMarked
package org.reprise.engine.openssl;

import org.jspecify.annotations.NullMarked;
