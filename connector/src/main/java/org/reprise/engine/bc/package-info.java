/**
 * The Bouncy Castle engine: a non-blocking {@link javax.net.ssl.SSLEngine} over Bouncy Castle's
 * {@code TlsServerProtocol}, whose {@code TlsServer} resumes TLS 1.2 sessions by session ID and by
 * RFC 5077 ticket through Reprise's {@link org.reprise.core.internal.ResumptionContext}. TLS 1.3 handshakes are
 * always full: Bouncy Castle has no server-side TLS 1.3 resumption, and a TLS 1.3 client's offer to
 * resume is counted as missed with reason {@code engine_unsupported}.
 *
 * <p>Not API: connectors select the engine with {@code resumptionEngine="bc"} (the default), and its one public
 * type, {@link org.reprise.engine.bc.BcEngineProvider}, is public only so that {@link java.util.ServiceLoader}
 * can make it.
 */
@NullMarked
package org.reprise.engine.bc;

import org.jspecify.annotations.NullMarked;
