package org.reprise.engine.openssl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.BitSet;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.junit.jupiter.api.Test;
import org.reprise.core.internal.ResumptionContext;
import org.reprise.tomcat.ConnectorBinding;
import org.reprise.tomcat.ResumptionSettings;

/** OpenSSL never frees an ex_data index: Reprise allocates its three once per JVM, not once per SSL context. */
class ExIndicesTest {

    private static int nextIndex(int kind) throws Throwable {
        return (int) NativeSsl.CRYPTO_get_ex_new_index.invokeExact(kind, 0L, MemorySegment.NULL,
                MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL);
    }

    private static SessionCallbacks callbacks() throws Throwable {
        ConnectorBinding connector = new ConnectorBinding() {
            @Override
            public String name() {
                return "ex-data";
            }

            @Override
            public ResumptionSettings settings() {
                return ResumptionSettings.defaults();
            }

            @Override
            public ResumptionContext context() {
                throw new UnsupportedOperationException("no handshake here");
            }

            @Override
            public Duration sessionTimeout(SSLHostConfig host) {
                return Duration.ofDays(1);
            }

            @Override
            public void open() {
            }

            @Override
            public void close() {
            }
        };
        return new SessionCallbacks(connector, "localhost", Duration.ofDays(1), true, false, new BitSet(),
                new byte[16], new SecureRandom());
    }

    @Test
    void sslContextsAllocateNoIndicesOfTheirOwn() throws Throwable {
        callbacks(); // the first may allocate the JVM's indices
        int ssl = nextIndex(NativeSsl.CRYPTO_EX_INDEX_SSL);
        int session = nextIndex(NativeSsl.CRYPTO_EX_INDEX_SSL_SESSION);
        for (int i = 0; i < 5; i++) {
            callbacks().close();
        }
        assertEquals(ssl + 1, nextIndex(NativeSsl.CRYPTO_EX_INDEX_SSL), "SSL indices allocated by 5 contexts");
        assertEquals(session + 1, nextIndex(NativeSsl.CRYPTO_EX_INDEX_SSL_SESSION),
                "SSL_SESSION indices allocated by 5 contexts");
    }
}
