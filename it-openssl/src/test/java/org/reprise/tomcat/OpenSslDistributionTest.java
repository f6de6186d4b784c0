package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The drop-in story on the OpenSSL engine: the official Tomcat 11 binary distribution, with Reprise installed from
 * the distribution built on this JDK (22+) by running the {@code bash install} and {@code bash openssl} blocks of
 * docs/INSTALL.md as they are written, and started with bin/catalina.sh on this JDK.
 */
class OpenSslDistributionTest {

    @Test
    void installedAsInstallMdSaysItResumesTls13AndTls12ServesTheAdminPageAndStopsCleanly() throws Exception {
        TomcatDistribution tomcat = TomcatDistribution.unpack("tomcat-openssl");
        String password = TomcatDistribution.adminPassword(tomcat.runBlocks("install"));
        tomcat.runBlocks("openssl");
        assertTrue(Files.isRegularFile(tomcat.catalina.resolve("lib/reprise-connector-openssl-0.1.0-SNAPSHOT.jar")),
                "the openssl block copies the engine's jar from the distribution's openssl/ folder");

        tomcat.start();
        String admin;
        try {
            String tls13 = tomcat.runBlocks("openssl-check");
            assertTrue(tls13.contains("Reused, TLSv1.3"), tls13);
            String tls12 = tomcat.runBlocks("check");
            assertTrue(tls12.contains("Reused, TLSv1.2"), tls12);
            admin = tomcat.adminPage(password);
        } finally {
            tomcat.runBlocks("stop");
        }
        // The server saw the TLS 1.3 resumption too, in the counters the admin page exports.
        assertTrue(admin.lines().anyMatch(line -> line.startsWith("reprise_handshakes_total{")
                && line.contains("protocol=\"TLSv1.3\"") && line.contains("kind=\"resumed\"")
                && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) > 0),
                admin);
        tomcat.assertStoppedCleanly();
        String log = tomcat.logs();
        assertTrue(log.contains("Reprise OpenSSL engine (OpenSSL 3"), log);
        assertTrue(log.contains("of connector https-8443: stateful sessions in the session store"), log);
    }
}
