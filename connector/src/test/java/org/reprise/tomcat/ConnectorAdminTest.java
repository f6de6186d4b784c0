package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.List;
import org.reprise.core.admin.SessionPageView;
import org.reprise.core.admin.SessionView;
import org.reprise.core.admin.TicketKeyView;
import org.reprise.core.metrics.MetricsSnapshot;
import org.reprise.core.session.SessionQuery;

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
    void listsTheSessionsAndTicketKeysWithoutSecrets() throws Exception {
        try (TestServer server = server()) {
            ConnectorAdmin admin = server.resumption(0).admin();
            String id = connect(server, true, "-tls1_2", "-no_ticket").sessionId().toLowerCase(Locale.ROOT);

            SessionPageView page = admin.sessions(SessionQuery.builder().page(0, 10).build());
            assertEquals(1, page.getTotal());
            SessionView session = page.getSessions().get(0);
            assertEquals(id, session.getId());
            assertEquals("localhost", session.getHostConfig());
            assertEquals("TLSv1.2", session.getProtocol());
            assertEquals(0, admin.sessions(SessionQuery.builder().protocol("TLSv1.3").build()).getTotal());

            List<TicketKeyView> keys = admin.ticketKeys();
            assertEquals(1, keys.stream().filter(TicketKeyView::isEncrypting).count(), keys::toString);
            String retired = keys.get(0).getName();
            TicketKeyView fresh = admin.retireAllKeys();
            assertEquals(List.of(fresh.getName()), admin.ticketKeys().stream().map(TicketKeyView::getName).toList());
            assertFalse(fresh.getName().equals(retired), "the retired key is still listed");
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
