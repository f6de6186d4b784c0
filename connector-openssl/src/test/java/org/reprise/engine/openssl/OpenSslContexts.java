package org.reprise.engine.openssl;

import java.lang.foreign.MemorySegment;
import org.apache.tomcat.util.net.SSLContext;

/** Test access to what an {@link OpenSslServerContext} keeps package-private. */
public final class OpenSslContexts {

    private OpenSslContexts() {
    }

    /** @return the context's {@code SSL_CTX*} */
    public static MemorySegment sslCtx(SSLContext context) {
        return ((OpenSslServerContext) context).sslCtx();
    }

    /** @return how many of the context's engines still hold an {@code SSL} */
    public static int liveConnections(SSLContext context) {
        return ((OpenSslServerContext) context).liveConnections();
    }
}
