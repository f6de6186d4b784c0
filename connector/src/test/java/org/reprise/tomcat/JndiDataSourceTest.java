package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.apache.tomcat.util.descriptor.web.ContextResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.store.jdbc.DataKeys;

/**
 * {@code dataSourceName}: the store uses a DataSource from Tomcat's global JNDI resources, which do not
 * exist yet when Tomcat configures TLS, so the lookup happens at first use.
 */
class JndiDataSourceTest {

    @TempDir
    Path dir;

    @Test
    void sessionsGoToTheGlobalJndiDataSource() throws Exception {
        String url = "jdbc:h2:mem:jndi-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        Path key = dir.resolve("data.key");
        DataKeys.generate(key);
        TestPki pki = new TestPki();
        try (TestServer server = TestServer.start(dir, tomcat -> {
            tomcat.enableNaming();
            ContextResource resource = new ContextResource();
            resource.setName("jdbc/reprise");
            resource.setType("org.h2.jdbcx.JdbcDataSource"); // H2's factory makes only its own class
            resource.setProperty("factory", "org.h2.jdbcx.JdbcDataSourceFactory");
            resource.setProperty("url", url);
            resource.setProperty("user", "sa");
            resource.setProperty("password", "");
            resource.setProperty("description", "Reprise sessions"); // H2's factory reads every one of these
            resource.setProperty("loginTimeout", "0");
            tomcat.getServer().getGlobalNamingResources().addResource(resource);
        }, new TestServer.ConnectorSpec()
                .property("store", "jdbc")
                .property("dataSourceName", "jdbc/reprise")
                .property("dataKeyFile", key.toString())
                .host(pki, Files.createDirectories(dir.resolve("certs")), "localhost", false, false, h -> { }))) {
            Path session = dir.resolve("s.pem");
            assertTrue(OpenSslClient.connect(server.port(), "localhost", session, true, "-tls1_2", "-no_ticket")
                    .handshakeCompleted());

            long rows = 0;
            for (int i = 0; i < 100 && rows == 0; i++) {
                TimeUnit.MILLISECONDS.sleep(50);
                try (Connection c = DriverManager.getConnection(url, "sa", "");
                        Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM reprise_sessions")) {
                    r.next();
                    rows = r.getLong(1);
                } catch (java.sql.SQLException e) {
                    rows = 0;
                }
            }
            assertEquals(1, rows, "the session row is in the JNDI DataSource's database");
            assertEquals(0, server.metrics().storeErrors());
        }
    }
}
