package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The drop-in story on the Bouncy Castle engine: the official Tomcat 11 binary distribution, unpacked under
 * target/, with Reprise installed by running the shell blocks of docs/INSTALL.md as they are written, started and
 * stopped with bin/catalina.sh; the admin page only over HTTPS, only from this machine, behind Tomcat's LockOutRealm.
 * The OpenSSL engine's drop-in test is OpenSslDistributionTest (module it-openssl).
 */
class TomcatDistributionTest {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

    @ParameterizedTest(name = "store={0}")
    @ValueSource(strings = {"memory", "jdbc"})
    void installedAsInstallMdSaysItResumesServesTheAdminPageAndStopsCleanly(String store) throws Exception {
        TomcatDistribution tomcat = TomcatDistribution.unpack("tomcat-" + store);
        String prefix = "dist" + Long.toHexString(new SecureRandom().nextLong() & 0xffffffffL) + "_";
        String password = TomcatDistribution.adminPassword(tomcat.runBlocks("install"));
        if (store.equals("jdbc")) {
            tomcat.runBlocks("jdbc");
            // This machine's database in place of the example values (later lines win).
            Files.writeString(tomcat.catalina.resolve("conf/catalina.properties"), "reprise.jdbc.url=" + POSTGRES
                    + "\nreprise.jdbc.user=postgres\nreprise.jdbc.prefix=" + prefix + "\n", StandardOpenOption.APPEND);
        }

        tomcat.start();
        try {
            String check = tomcat.runBlocks("check");
            assertTrue(check.contains("Reused, TLSv1.2"), check);
            String admin = tomcat.adminPage(password);
            if (store.equals("jdbc")) {
                assertTrue(admin.contains("\"node-1\""), admin);
            }
            tomcat.assertAdminPageIsHttpsAndLocalOnly(password);
            tomcat.assertWrongPasswordsLockTheUserOut(password); // last: the user stays locked out
        } finally {
            tomcat.runBlocks("stop");
            if (store.equals("jdbc")) {
                dropTables(prefix);
            }
        }
        tomcat.assertStoppedCleanly();
    }

    private static void dropTables(String prefix) throws Exception {
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "");
                Statement s = c.createStatement()) {
            for (String table : List.of("sessions", "ticket_keys", "purges", "purge_counter", "schema_version")) {
                s.execute("DROP TABLE IF EXISTS " + prefix + table);
            }
        }
    }
}
