package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The drop-in story: the official Tomcat 11 binary distribution, unpacked under target/, with Reprise
 * installed by running the shell blocks of docs/INSTALL.md as they are written, started and stopped with
 * bin/catalina.sh.
 */
class TomcatDistributionTest {

    private static final Pattern BLOCK = Pattern.compile("(?ms)^```bash (\\w+)\\n(.*?)^```");
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

    private static Path property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set (run through Maven)");
        }
        return Paths.get(value);
    }

    /** The shell blocks of INSTALL.md marked {@code bash kind}, in document order. */
    private static List<String> blocks(String kind) throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(property("it.installDoc")));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            if (m.group(1).equals(kind)) {
                blocks.add(m.group(2));
            }
        }
        assertFalse(blocks.isEmpty(), "INSTALL.md has no bash " + kind + " block");
        return blocks;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Runs a command with the install's environment, in at most 20 seconds, and asserts it succeeded. */
    private static String run(List<String> environment, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("env"));
        line.addAll(environment);
        line.addAll(List.of(command));
        OpenSslClient.Result r = OpenSslClient.run(line);
        assertEquals(0, r.exitCode(), () -> String.join(" ", command) + " failed:\n" + r.output());
        return r.output();
    }

    private static String runBlocks(List<String> environment, String kind) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String block : blocks(kind)) {
            out.append(run(environment, "bash", "-euo", "pipefail", "-c", block));
        }
        return out.toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void awaitListening(int port, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        throw new AssertionError("nothing listens on " + port + " after " + limit);
    }

    @ParameterizedTest(name = "store={0}")
    @ValueSource(strings = {"memory", "jdbc"})
    void installedAsInstallMdSaysItResumesServesTheAdminPageAndStopsCleanly(String store) throws Exception {
        Path work = property("it.workDir").resolve("tomcat-" + store);
        deleteTree(work);
        Files.createDirectories(work);
        run(List.of(), "tar", "-xzf", property("it.tomcatDistribution").toString(), "-C", work.toString());
        run(List.of(), "tar", "-xzf", property("it.repriseDistribution").toString(), "-C", work.toString());
        Path catalina = work.resolve("apache-tomcat-11.0.25");
        Path reprise;
        try (Stream<Path> dirs = Files.list(work)) {
            reprise = dirs.filter(p -> p.getFileName().toString().startsWith("reprise-")).findFirst().orElseThrow();
        }

        // The stock ports would clash with other Tomcats on this machine: ephemeral ones instead.
        int port = freePort();
        Path serverXml = catalina.resolve("conf/server.xml");
        Files.writeString(serverXml, Files.readString(serverXml)
                .replace("port=\"8005\"", "port=\"" + freePort() + "\"")
                .replace("port=\"8080\"", "port=\"" + freePort() + "\""));

        List<String> environment = List.of("CATALINA_HOME=" + catalina, "CATALINA_BASE=" + catalina,
                "REPRISE_HOME=" + reprise, "REPRISE_PORT=" + port, "JAVA_HOME=" + System.getProperty("java.home"),
                "CATALINA_PID=" + catalina.resolve("temp/tomcat.pid"),
                "PATH=" + Paths.get(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        String prefix = "dist" + Long.toHexString(new SecureRandom().nextLong() & 0xffffffffL) + "_";
        String installed = runBlocks(environment, "install");
        if (store.equals("jdbc")) {
            runBlocks(environment, "jdbc");
            // This machine's database in place of the example values (later lines win).
            Files.writeString(catalina.resolve("conf/catalina.properties"), "reprise.jdbc.url=" + POSTGRES
                    + "\nreprise.jdbc.user=postgres\nreprise.jdbc.prefix=" + prefix + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
        }
        Matcher adminPassword = Pattern.compile("password: (\\w+)").matcher(installed);
        assertTrue(adminPassword.find(), installed);

        runBlocks(environment, "start");
        try {
            awaitListening(port, Duration.ofSeconds(60));
            String check = runBlocks(environment, "check");
            assertTrue(check.contains("Reused, TLSv1.2"), check);
            adminPage(catalina, port, adminPassword.group(1), store);
        } finally {
            runBlocks(environment, "stop");
            if (store.equals("jdbc")) {
                dropTables(prefix);
            }
        }

        assertFalse(Files.exists(catalina.resolve("temp/tomcat.pid")), "catalina.sh stop removes the PID file");
        String log = logs(catalina.resolve("logs"));
        assertTrue(log.contains("Stopping ProtocolHandler [\"https-jsse-nio-" + port + "\"]"), log);
        assertTrue(log.contains("Destroying ProtocolHandler [\"https-jsse-nio-" + port + "\"]"), log);
        assertFalse(log.contains("SEVERE"), log);
        assertFalse(log.contains("Exception"), log);
    }

    private static void adminPage(Path catalina, int port, String password, String store) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(catalina.resolve("conf/catalina.properties"))) {
            properties.load(in);
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(catalina.resolve("conf/reprise-keystore.p12"))) {
            trusted.load(in, properties.getProperty("reprise.keystore.password").toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
        URI connectors = URI.create("https://localhost:" + port + "/reprise-admin/api/connectors");

        HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(connectors).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());

        String basic = Base64.getEncoder().encodeToString(("reprise:" + password).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> admin = client.send(HttpRequest.newBuilder(connectors).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, admin.statusCode(), admin.body());
        assertTrue(admin.body().contains("\"https-8443\""), admin.body());
        if (store.equals("jdbc")) {
            assertTrue(admin.body().contains("\"node-1\""), admin.body());
        }
        HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + port + "/reprise-admin/metrics")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode(), metrics.body());
        assertTrue(metrics.body().contains("reprise_"), metrics.body());
    }

    private static String logs(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                all.append("== ").append(f.getFileName()).append('\n').append(Files.readString(f));
            }
        }
        return all.toString();
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
