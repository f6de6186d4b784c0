package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.metrics.MetricsSnapshot;

/** {@link ConnectorAdmin} as an embedding application uses it, seen by OpenSSL's s_client. */
class ConnectorAdminTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();

    ConnectorAdminTest() throws Exception {
    }

    private TestServer server() throws Exception {
        return TestServer.start(dir, new TestServer.ConnectorSpec().host(pki, dir, "localhost", false, false, h -> { }));
    }

    private OpenSslClient.Result connect(TestServer server, boolean save, String... options) throws Exception {
        OpenSslClient.Result result = OpenSslClient.connect(server.port(), "localhost", dir.resolve("session.pem"),
                save, options);
        assertTrue(result.handshakeCompleted(), result.output());
        return result;
    }

    @Test
    void purgedSessionIdGetsAFullHandshake() throws Exception {
        try (TestServer server = server()) {
            ConnectorAdmin admin = server.resumption(0).admin();
            String id = connect(server, true, "-tls1_2", "-no_ticket").sessionId().toLowerCase(Locale.ROOT);
            assertTrue(connect(server, false, "-tls1_2", "-no_ticket").reused(), "resumes before the purge");

            assertTrue(admin.purge(id), id);

            assertFalse(connect(server, false, "-tls1_2", "-no_ticket").reused(), "resumed after the purge");
            assertFalse(admin.purge(id), "already purged");
            MetricsSnapshot m = admin.metrics();
            assertEquals(2, m.handshakesFull());
            assertEquals(1, m.handshakesResumed());
        }
    }

    @Test
    void purgeAllPurgesTheRealmsSessions() throws Exception {
        try (TestServer server = server()) {
            ConnectorAdmin admin = server.resumption(0).admin();
            connect(server, true, "-tls1_2", "-no_ticket");

            assertEquals(1, admin.purgeAll());

            assertFalse(connect(server, false, "-tls1_2", "-no_ticket").reused());
        }
    }

    @Test
    void retiredKeysOpenNoTicket() throws Exception {
        try (TestServer server = server()) {
            ConnectorAdmin admin = server.resumption(0).admin();
            connect(server, true, "-tls1_2");
            assertTrue(connect(server, false, "-tls1_2").reused(), "the ticket resumes before the retirement");

            admin.retireAllKeys();

            assertFalse(connect(server, false, "-tls1_2").reused(), "a ticket of a retired key resumed");
            assertEquals(1, admin.metrics().handshakesResumed());
        }
    }
}
