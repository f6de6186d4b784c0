package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The official Tomcat 11 binary distribution and Reprise's, unpacked side by side under target/, with the stock
 * ports moved to ephemeral ones, and the shell blocks of docs/INSTALL.md run against them exactly as written
 * (with {@code CATALINA_HOME}, {@code CATALINA_BASE}, {@code REPRISE_HOME}, {@code REPRISE_PORT} and
 * {@code JAVA_HOME}, the test's own JVM, set). Shared by the drop-in tests of both engines; the paths come from
 * the system properties {@code it.tomcatDistribution}, {@code it.repriseDistribution}, {@code it.installDoc}
 * and {@code it.workDir}, which the modules' surefire configurations set.
 */
final class TomcatDistribution {

    private static final Pattern BLOCK = Pattern.compile("(?ms)^```bash ([\\w-]+)\\n(.*?)^```");

    /** {@code $CATALINA_HOME}, which is also {@code $CATALINA_BASE}. */
    final Path catalina;
    /** The HTTPS port that {@code REPRISE_PORT} gives the install blocks. */
    final int port;
    /** The port of the stock plain HTTP connector (8080 in the distribution's server.xml). */
    final int httpPort;
    /** {@code NAME=value} pairs every block and command runs with. */
    final List<String> environment;

    private TomcatDistribution(Path catalina, int port, int httpPort, List<String> environment) {
        this.catalina = catalina;
        this.port = port;
        this.httpPort = httpPort;
        this.environment = environment;
    }

    /** Unpacks both distributions into a fresh {@code it.workDir/name}. */
    static TomcatDistribution unpack(String name) throws Exception {
        Path work = property("it.workDir").resolve(name);
        deleteTree(work);
        Files.createDirectories(work);
        run(List.of(), "tar", "-xzf", property("it.tomcatDistribution").toString(), "-C", work.toString());
        run(List.of(), "tar", "-xzf", property("it.repriseDistribution").toString(), "-C", work.toString());
        Path catalina;
        Path reprise;
        try (Stream<Path> dirs = Files.list(work)) {
            List<Path> unpacked = dirs.toList();
            catalina = unpacked.stream().filter(p -> p.getFileName().toString().startsWith("apache-tomcat-"))
                    .findFirst().orElseThrow();
            reprise = unpacked.stream().filter(p -> p.getFileName().toString().startsWith("reprise-"))
                    .findFirst().orElseThrow();
        }

        // The stock ports would clash with other Tomcats on this machine: ephemeral ones instead.
        int port = freePort();
        int httpPort = freePort();
        Path serverXml = catalina.resolve("conf/server.xml");
        Files.writeString(serverXml, Files.readString(serverXml)
                .replace("port=\"8005\"", "port=\"" + freePort() + "\"")
                .replace("port=\"8080\"", "port=\"" + httpPort + "\""));

        String javaHome = System.getProperty("java.home");
        return new TomcatDistribution(catalina, port, httpPort, List.of("CATALINA_HOME=" + catalina, "CATALINA_BASE=" + catalina,
                "REPRISE_HOME=" + reprise, "REPRISE_PORT=" + port, "JAVA_HOME=" + javaHome,
                "CATALINA_PID=" + catalina.resolve("temp/tomcat.pid"),
                "PATH=" + Paths.get(javaHome, "bin") + ":" + System.getenv("PATH")));
    }

    /** Runs every block of INSTALL.md marked {@code bash kind}, in document order, and returns their output. */
    String runBlocks(String kind) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String block : blocks(kind)) {
            out.append(run(environment, "bash", "-euo", "pipefail", "-c", block));
        }
        return out.toString();
    }

    /**
     * The {@code bash start} blocks, then waits (at most 90 s) until Tomcat has started: its port is bound before
     * the web applications deploy, but handshakes only begin once the connector starts, after them.
     */
    void start() throws Exception {
        runBlocks("start");
        Path out = catalina.resolve("logs/catalina.out");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (Files.exists(out) && Files.readString(out).contains("Server startup in")) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("Tomcat has not started after 90 s\n" + logs());
    }

    /** The admin user's password, as the install blocks printed it. */
    static String adminPassword(String installOutput) {
        Matcher m = Pattern.compile("password: (\\w+)").matcher(installOutput);
        assertTrue(m.find(), installOutput);
        return m.group(1);
    }

    /**
     * Checks that the admin API refuses an anonymous request and answers the user from tomcat-users.xml, and that
     * the Prometheus page answers that user.
     *
     * @return the admin API's connector list and the Prometheus page, one after the other
     */
    String adminPage(String password) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trustKeystore()).connectTimeout(Duration.ofSeconds(10))
                .build();
        URI connectors = URI.create("https://localhost:" + port + "/reprise-admin/api/connectors");

        HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(connectors).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());

        String basic = Base64.getEncoder().encodeToString(("reprise:" + password).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> admin = client.send(HttpRequest.newBuilder(connectors).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, admin.statusCode(), admin.body());
        assertTrue(admin.body().contains("\"https-8443\""), admin.body());
        HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + port + "/reprise-admin/metrics")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode(), metrics.body());
        // the WAR's own copy of the Prometheus client (WEB-INF/lib) writes the page in the stock Tomcat
        String type = metrics.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.startsWith("text/plain;") && type.contains("version=0.0.4"), type);
        assertTrue(metrics.body().contains("# TYPE reprise_handshakes_total counter\n"), metrics.body());
        return admin.body() + "\n" + metrics.body();
    }

    /**
     * Checks that the admin page answers nobody from another address of this machine than a loopback one (403
     * before any challenge, even with the password), as its WAR's META-INF/context.xml says (on a machine with only
     * loopback addresses: that the deployed application holds that file), and nobody over plain HTTP (a redirect
     * to the Reprise port and no challenge, with or without the password).
     */
    void assertAdminPageIsHttpsAndLocalOnly(String password) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("reprise:" + password)
                .getBytes(StandardCharsets.UTF_8));
        Optional<InetAddress> other = otherAddress();
        if (other.isPresent()) {
            HttpsURLConnection remote = (HttpsURLConnection) URI.create("https://" + other.get().getHostAddress()
                    + ":" + port + "/reprise-admin/api/connectors").toURL().openConnection();
            remote.setSSLSocketFactory(trustKeystore().getSocketFactory());
            // The certificate names localhost only; what is tested is the address the server sees the request from.
            remote.setHostnameVerifier((host, session) -> true);
            remote.setConnectTimeout(10_000);
            remote.setReadTimeout(20_000);
            remote.setRequestProperty("Authorization", basic);
            assertEquals(HttpURLConnection.HTTP_FORBIDDEN, remote.getResponseCode(), other.get().toString());
            assertEquals(null, remote.getHeaderField("WWW-Authenticate"));
            remote.disconnect();
        } else {
            String contextXml = Files.readString(catalina.resolve("webapps/reprise-admin/META-INF/context.xml"));
            assertTrue(contextXml.contains("org.apache.catalina.valves.RemoteAddrValve")
                    && contextXml.contains("allow=\"127\\.\\d+\\.\\d+\\.\\d+|::1|0:0:0:0:0:0:0:1\""), contextXml);
        }

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI plain = URI.create("http://localhost:" + httpPort + "/reprise-admin/api/connectors");
        for (boolean withPassword : new boolean[] {false, true}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(20));
            if (withPassword) {
                request.header("Authorization", basic);
            }
            HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(302, r.statusCode(), r.body());
            assertEquals("https://localhost:" + port + "/reprise-admin/api/connectors",
                    r.headers().firstValue("Location").orElse(""));
            assertTrue(r.headers().firstValue("WWW-Authenticate").isEmpty(), r.headers().toString());
            assertFalse(r.body().contains("https-8443"), r.body());
        }
    }

    /**
     * Checks that the realm of the distribution's server.xml, a LockOutRealm, locks the admin user out after five
     * wrong passwords in a row: then the right password gets 401 too. Leaves the user locked for five minutes.
     */
    void assertWrongPasswordsLockTheUserOut(String password) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trustKeystore())
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI connectors = URI.create("https://localhost:" + port + "/reprise-admin/api/connectors");
        for (String tried : List.of("guess1", "guess2", "guess3", "guess4", "guess5", password)) {
            String basic = Base64.getEncoder().encodeToString(("reprise:" + tried).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(connectors).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode(), tried.equals(password) ? "the right password, once locked out" : tried);
        }
    }

    /** @return TLS that trusts the certificate the install blocks made */
    private SSLContext trustKeystore() throws Exception {
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
        return context;
    }

    /** @return an IPv4 address of this machine that is not a loopback one, if it has one */
    private static Optional<InetAddress> otherAddress() throws SocketException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (nic.isUp() && !nic.isLoopback()) {
                Optional<InetAddress> found = nic.inetAddresses()
                        .filter(a -> a instanceof Inet4Address && !a.isLinkLocalAddress()).findFirst();
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** Checks, after the {@code bash stop} blocks, that Tomcat stopped cleanly and logged nothing bad. */
    void assertStoppedCleanly() throws IOException {
        assertFalse(Files.exists(catalina.resolve("temp/tomcat.pid")), "catalina.sh stop removes the PID file");
        String log = logs();
        assertTrue(log.contains("Stopping ProtocolHandler [\"https-jsse-nio-" + port + "\"]"), log);
        assertTrue(log.contains("Destroying ProtocolHandler [\"https-jsse-nio-" + port + "\"]"), log);
        assertFalse(log.contains("SEVERE"), log);
        assertFalse(log.contains("Exception"), log);
    }

    /** Every file under logs/, each after a {@code == name} line. */
    String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(catalina.resolve("logs"))) {
            for (Path f : files.sorted().toList()) {
                all.append("== ").append(f.getFileName()).append('\n').append(Files.readString(f));
            }
        }
        return all.toString();
    }

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
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Runs a command with the given environment, in at most 20 seconds, and asserts it succeeded. */
    private static String run(List<String> environment, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("env"));
        line.addAll(environment);
        line.addAll(List.of(command));
        OpenSslClient.Result r = OpenSslClient.run(line);
        assertEquals(0, r.exitCode(), () -> String.join(" ", command) + " failed:\n" + r.output());
        return r.output();
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
}
