package org.reprise.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MetricsSnapshot;
import org.reprise.core.metrics.MissReason;

/**
 * Starts the demo on an ephemeral port with a temporary data directory and talks to it with the JDK's
 * HttpClient, curl and openssl s_client. Every server is closed and every external process is
 * time-bounded.
 */
@Timeout(120)
class DemoServerTest {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    /** A demo on the Bouncy Castle engine, which most tests here are about, unless {@code extra} names another. */
    private DemoServer start(Path dataDir, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--data-dir", dataDir.toString(),
                "--engine", "bc"));
        args.addAll(List.of(extra));
        return DemoServer.start(DemoOptions.parse(args.toArray(String[]::new)));
    }

    /** An HttpClient that trusts exactly the demo's certificate, read from the data directory. */
    private static HttpClient client(Path dataDir) throws Exception {
        return HttpClient.newBuilder().sslContext(trust(dataDir)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** TLS that trusts exactly the demo's certificate, read from the data directory. */
    private static SSLContext trust(Path dataDir) throws Exception {
        String password = Files.readString(dataDir.resolve(DemoCertificate.PASSWORD_FILE), StandardCharsets.UTF_8)
                .strip();
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dataDir.resolve(DemoCertificate.KEYSTORE_FILE))) {
            keystore.load(in, password.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("demo", keystore.getCertificate(DemoCertificate.ALIAS));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** @return an IPv4 address of this machine that is not a loopback one, if it has one */
    private static Optional<InetAddress> otherAddress() throws Exception {
        return NetworkInterface.networkInterfaces().filter(nic -> {
            try {
                return nic.isUp() && !nic.isLoopback();
            } catch (java.net.SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address && !a.isLinkLocalAddress())
                .findFirst();
    }

    private static HttpResponse<String> get(HttpClient client, DemoServer server, String accept) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url()))
                .timeout(Duration.ofSeconds(20))
                .header("Accept", accept)
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> object(String json) throws Exception {
        return new ObjectMapper().readValue(json, new TypeReference<Map<String, Object>>() { });
    }

    @SuppressWarnings("unchecked")
    private static long counter(Map<String, Object> json, String group, String key) {
        return ((Number) ((Map<String, Object>) ((Map<String, Object>) json.get("metrics")).get(group)).get(key))
                .longValue();
    }

    @Test
    void servesTheAdminPageToTheAdminUserOnly() throws Exception {
        Path dataDir = temp.resolve("data");
        try (DemoServer server = start(dataDir, "--admin-password", "correct horse")) {
            HttpClient client = client(dataDir);
            URI connectors = URI.create(server.url() + "reprise-admin/api/connectors");

            assertEquals(401, client.send(HttpRequest.newBuilder(connectors).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            String basic = java.util.Base64.getEncoder().encodeToString(
                    (DemoServer.ADMIN_USER + ":correct horse").getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> listed = client.send(HttpRequest.newBuilder(connectors)
                    .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, listed.statusCode());
            assertTrue(listed.body().contains(server.resumption().name()), listed.body());
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(server.url() + "reprise-admin/"))
                    .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Security-Policy").isPresent());
        }
    }

    @Test
    void adminPageRefusesEveryAddressButLocalhost() throws Exception {
        InetAddress other = otherAddress().orElse(null);
        assumeTrue(other != null, "this machine has no address but loopback ones to connect from");
        Path dataDir = temp.resolve("data");
        try (DemoServer server = start(dataDir, "--admin-password", "correct horse")) {
            String basic = java.util.Base64.getEncoder().encodeToString(
                    (DemoServer.ADMIN_USER + ":correct horse").getBytes(StandardCharsets.UTF_8));
            URL connectors = URI.create("https://" + other.getHostAddress() + ":" + server.port()
                    + "/reprise-admin/api/connectors").toURL();
            HttpsURLConnection c = (HttpsURLConnection) connectors.openConnection();
            c.setSSLSocketFactory(trust(dataDir).getSocketFactory());
            // The certificate names localhost only; what is tested is the address the server sees the request from.
            c.setHostnameVerifier((host, session) -> true);
            c.setConnectTimeout(10_000);
            c.setReadTimeout(20_000);
            c.setRequestProperty("Authorization", "Basic " + basic);
            assertEquals(403, c.getResponseCode());
            assertEquals(null, c.getHeaderField("WWW-Authenticate"));
            c.disconnect();
        }
    }

    @Test
    void jdkClientSeesItsConnection() throws Exception {
        Path dataDir = temp.resolve("data");
        try (DemoServer server = start(dataDir)) {
            assertTrue(server.port() > 0);
            HttpResponse<String> response = get(client(dataDir), server, "application/json");
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            Map<String, Object> json = object(response.body().strip());

            String protocol = (String) json.get("protocol");
            assertTrue(protocol.equals("TLSv1.3") || protocol.equals("TLSv1.2"), protocol);
            assertEquals(response.sslSession().orElseThrow().getProtocol(), protocol);
            assertEquals(response.sslSession().orElseThrow().getCipherSuite(), json.get("cipherSuite"));
            assertTrue(((String) json.get("sessionId")).matches("[0-9a-f]+"), String.valueOf(json.get("sessionId")));
            assertEquals(Boolean.FALSE, json.get("resumed"));
            assertEquals("HTTP/2.0", json.get("httpProtocol"), "ALPN should have chosen h2");
            assertEquals(server.resumption().name(), json.get("connector"));
            assertTrue(counter(json, "handshakesFullByProtocol", protocol) >= 1);
            for (String key : List.of("handshakesFullByProtocol", "handshakesResumedByProtocol", "requestedByMechanism",
                    "hitsByMechanism", "missesByReason", "storeErrors", "keyRotations", "ticketsIssued",
                    "sessionsStored")) {
                assertTrue(((Map<?, ?>) json.get("metrics")).containsKey(key), key);
            }

            // the certificate served is the one kept in the data directory
            X509Certificate served = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
            assertEquals(server.certificate().sha256Fingerprint(), fingerprint(served));
        }
    }

    @Test
    void htmlByDefault() throws Exception {
        Path dataDir = temp.resolve("data");
        try (DemoServer server = start(dataDir)) {
            HttpResponse<String> response = get(client(dataDir), server, "text/html,*/*;q=0.8");
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            String body = response.body();
            assertTrue(body.startsWith("<!DOCTYPE html>"), body);
            assertTrue(body.contains("<code>" + response.sslSession().orElseThrow().getCipherSuite() + "</code>"), body);
            assertTrue(body.contains("session_id") && body.contains("engine_unsupported"), body);
            assertFalse(body.contains("<script"), body);
        }
    }

    @Test
    void thePageNamesTheBouncyCastleEngine() throws Exception {
        Path dataDir = temp.resolve("data");
        try (DemoServer server = start(dataDir)) {
            Map<String, Object> json = object(get(client(dataDir), server, "application/json").body().strip());
            assertEquals("bc", json.get("engine"), json.toString());
            String html = get(client(dataDir), server, "text/html").body();
            assertTrue(html.contains("TLS by Reprise's Bouncy Castle engine (<code>bc</code>)"), html);
            assertEquals("bc, the Bouncy Castle engine", server.engineNote(), "named, so no reason is given");
        }
    }

    /** The OpenSSL engine runs where its jar, Java 22+ and libssl are (the demo's build on a JDK 22+). */
    @Test
    void thePageNamesTheOpenSslEngineAndTls13Resumes() throws Exception {
        DemoEngine chosen = DemoEngine.choose(null);
        assumeTrue(chosen.name().equals("openssl"), "the OpenSSL engine cannot run here: " + chosen.whyNotOpenSsl());
        assumeTrue(ExternalCommand.available("openssl"), "openssl is not installed (bin/test installs it)");
        Path dataDir = temp.resolve("data");
        try (DemoServer server = start(dataDir, "--engine", "openssl")) {
            Map<String, Object> json = object(get(client(dataDir), server, "application/json").body().strip());
            assertEquals("openssl", json.get("engine"), json.toString());
            String html = get(client(dataDir), server, "text/html").body();
            assertTrue(html.contains("TLS by Reprise's OpenSSL engine (<code>openssl</code>)"), html);
            assertTrue(html.contains("-tls1_3 -sess_out s.pem"), "the page shows a TLS 1.3 resumption: " + html);

            String connect = "127.0.0.1:" + server.port();
            Path session = temp.resolve("tls13.pem");
            sClient13(connect, session, "-sess_out");
            String resumed = sClient13(connect, session, "-sess_in");
            assertTrue(resumed.contains("Reused, TLSv1.3"), resumed);
            assertEquals(1, server.resumption().metrics().snapshot().hits(Mechanism.TLS13_PSK));
        }
    }

    /** Without {@code --engine} the demo takes the OpenSSL engine where it runs, else Bouncy Castle's, saying why. */
    @Test
    void withoutEngineTheDemoChoosesAndSaysWhyWhenItIsBouncyCastle() throws Exception {
        Path dataDir = temp.resolve("data");
        try (DemoServer server = DemoServer.start(DemoOptions.parse("--port", "0", "--data-dir",
                dataDir.toString()))) {
            DemoEngine engine = server.engine();
            Map<String, Object> json = object(get(client(dataDir), server, "application/json").body().strip());
            assertEquals(engine.name(), json.get("engine"), json.toString());
            java.io.ByteArrayOutputStream banner = new java.io.ByteArrayOutputStream();
            server.printBanner(new java.io.PrintStream(banner, true, StandardCharsets.UTF_8));
            List<String> engineLines = banner.toString(StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("  engine:")).toList();
            assertEquals(1, engineLines.size(), banner.toString(StandardCharsets.UTF_8));
            if (engine.name().equals("bc")) {
                assertNotNull(engine.whyNotOpenSsl());
                assertTrue(engineLines.get(0).contains("because the OpenSSL engine cannot run here: "
                        + engine.whyNotOpenSsl()), engineLines.get(0));
            } else {
                assertEquals("  engine:       openssl, the OpenSSL engine", engineLines.get(0));
            }
        }
    }

    /** s_client over TLS 1.3; it stays connected a second so the ticket, sent after the handshake, is saved. */
    private String sClient13(String connect, Path session, String sessionOption) throws Exception {
        ExternalCommand.Result result = ExternalCommand.run(temp, COMMAND_TIMEOUT, List.of("sh", "-c",
                "sleep 1 | openssl s_client -connect " + connect + " -servername localhost -tls1_3 " + sessionOption
                        + " " + session));
        assertTrue(result.stdout().contains("Cipher is"), result.describe());
        return result.stdout();
    }

    @Test
    void curlResumesOnItsSecondConnection() throws Exception {
        assumeTrue(ExternalCommand.available("curl"), "curl is not installed (bin/test installs it)");
        Path dataDir = temp.resolve("data");
        try (DemoServer server = start(dataDir)) {
            MetricsSnapshot before = server.resumption().metrics().snapshot();
            String url = "https://127.0.0.1:" + server.port() + "/";
            ExternalCommand.Result result = ExternalCommand.run(temp, COMMAND_TIMEOUT, List.of("curl", "-sS", "-k",
                    "--max-time", "20", "--http1.1", "--tlsv1.2", "--tls-max", "1.2",
                    "-H", "Accept: application/json", "-H", "Connection: close", "-w", "\\n", url, url));
            assertEquals(0, result.exitCode(), result.describe());
            List<String> lines = result.stdout().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(2, lines.size(), result.describe());
            Map<String, Object> first = object(lines.get(0));
            Map<String, Object> second = object(lines.get(1));
            assertEquals("TLSv1.2", first.get("protocol"));
            assertEquals(Boolean.FALSE, first.get("resumed"), result.describe());
            assertEquals("TLSv1.2", second.get("protocol"));
            assertEquals(Boolean.TRUE, second.get("resumed"), result.describe());
            assertEquals(first.get("sessionId"), second.get("sessionId"));
            assertEquals(first.get("cipherSuite"), second.get("cipherSuite"));

            MetricsSnapshot after = server.resumption().metrics().snapshot();
            assertEquals(before.handshakesResumed() + 1, after.handshakesResumed());
            assertEquals(sum(before.hitsByMechanism()) + 1, sum(after.hitsByMechanism()));
            assertEquals(sum(before.missesByReason()), sum(after.missesByReason()));
            assertEquals(after.handshakesResumedByProtocol().get("TLSv1.2"),
                    counter(second, "handshakesResumedByProtocol", "TLSv1.2"));
        }
    }

    @Test
    void opensslResumesByTicketAndBySessionId() throws Exception {
        assumeTrue(ExternalCommand.available("openssl"), "openssl is not installed (bin/test installs it)");
        Path dataDir = temp.resolve("data");
        try (DemoServer server = start(dataDir)) {
            String connect = "127.0.0.1:" + server.port();

            MetricsSnapshot before = server.resumption().metrics().snapshot();
            Path ticketSession = temp.resolve("ticket.pem");
            assertTrue(sClient(connect, "-sess_out", ticketSession.toString()).contains("New, TLSv1.2"));
            String resumed = sClient(connect, "-sess_in", ticketSession.toString());
            assertTrue(resumed.contains("Reused, TLSv1.2"), resumed);
            MetricsSnapshot afterTicket = server.resumption().metrics().snapshot();
            assertEquals(before.requested(Mechanism.TICKET) + 1, afterTicket.requested(Mechanism.TICKET));
            assertEquals(before.hits(Mechanism.TICKET) + 1, afterTicket.hits(Mechanism.TICKET));
            assertTrue(afterTicket.ticketsIssued() > before.ticketsIssued());

            Path idSession = temp.resolve("id.pem");
            assertTrue(sClient(connect, "-no_ticket", "-sess_out", idSession.toString()).contains("New, TLSv1.2"));
            resumed = sClient(connect, "-no_ticket", "-sess_in", idSession.toString());
            assertTrue(resumed.contains("Reused, TLSv1.2"), resumed);
            MetricsSnapshot afterId = server.resumption().metrics().snapshot();
            assertEquals(afterTicket.requested(Mechanism.SESSION_ID) + 1, afterId.requested(Mechanism.SESSION_ID));
            assertEquals(afterTicket.hits(Mechanism.SESSION_ID) + 1, afterId.hits(Mechanism.SESSION_ID));
            assertEquals(sum(before.missesByReason()), sum(afterId.missesByReason()));
        }
    }

    @Test
    void tls13ResumptionOfferIsCountedAsEngineUnsupported() throws Exception {
        assumeTrue(ExternalCommand.available("openssl"), "openssl is not installed (bin/test installs it)");
        Path dataDir = temp.resolve("data");
        try (DemoServer server = start(dataDir)) {
            MetricsSnapshot before = server.resumption().metrics().snapshot();
            // an external PSK puts a pre_shared_key extension in the ClientHello, as a resuming client's would
            ExternalCommand.Result result = ExternalCommand.run(temp, COMMAND_TIMEOUT, List.of("openssl", "s_client",
                    "-connect", "127.0.0.1:" + server.port(), "-tls1_3", "-psk", "00112233445566778899aabbccddeeff"));
            assertTrue(result.stdout().contains("New, TLSv1.3"), result.describe());
            MetricsSnapshot after = server.resumption().metrics().snapshot();
            assertEquals(before.requested(Mechanism.TLS13_PSK) + 1, after.requested(Mechanism.TLS13_PSK));
            assertEquals(before.misses(MissReason.ENGINE_UNSUPPORTED) + 1, after.misses(MissReason.ENGINE_UNSUPPORTED));
            assertEquals(before.handshakesFullByProtocol().get("TLSv1.3") + 1,
                    after.handshakesFullByProtocol().get("TLSv1.3"));
            assertEquals(before.handshakesResumed(), after.handshakesResumed());
        }
    }

    private String sClient(String connect, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", connect,
                "-servername", "localhost", "-tls1_2"));
        command.addAll(List.of(options));
        ExternalCommand.Result result = ExternalCommand.run(temp, COMMAND_TIMEOUT, command);
        assertTrue(result.stdout().contains("Cipher is"), result.describe());
        return result.stdout();
    }

    @Test
    void sessionsFromBeforeARestartResumeAfterItFromH2() throws Exception {
        assumeTrue(ExternalCommand.available("openssl"), "openssl is not installed (bin/test installs it)");
        Path dataDir = temp.resolve("data");
        Path idSession = temp.resolve("id.pem");
        Path ticketSession = temp.resolve("ticket.pem");
        try (DemoServer server = start(dataDir)) {
            String connect = "127.0.0.1:" + server.port();
            sClient(connect, "-no_ticket", "-sess_out", idSession.toString());
            sClient(connect, "-sess_out", ticketSession.toString());
        }
        try (DemoServer server = start(dataDir)) {
            String connect = "127.0.0.1:" + server.port();
            // The connector waited for its database as it started: the very first lookup finds the session
            String byId = sClient(connect, "-no_ticket", "-sess_in", idSession.toString());
            assertTrue(byId.contains("Reused, TLSv1.2"), "by session ID, from H2, on the first handshake: " + byId);
            String byTicket = sClient(connect, "-sess_in", ticketSession.toString());
            assertTrue(byTicket.contains("Reused, TLSv1.2"), "by ticket, with keys from H2: " + byTicket);
            assertTrue(Files.exists(dataDir.resolve("sessions.mv.db")), "the H2 database is in the data directory");
        }
    }

    @Test
    void restartKeepsTheCertificate() throws Exception {
        Path dataDir = temp.resolve("data");
        String first;
        try (DemoServer server = start(dataDir)) {
            DemoCertificate certificate = server.certificate();
            assertTrue(certificate.created());
            first = certificate.sha256Fingerprint();
            checkCertificate(certificate.certificate());
        }
        Path password = dataDir.resolve(DemoCertificate.PASSWORD_FILE);
        if (Files.getFileStore(password).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(password)));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dataDir.resolve(DemoCertificate.KEYSTORE_FILE))));
        }
        try (DemoServer server = start(dataDir)) {
            assertFalse(server.certificate().created());
            assertEquals(first, server.certificate().sha256Fingerprint());
            HttpResponse<String> response = get(client(dataDir), server, "application/json");
            X509Certificate served = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
            assertEquals(first, fingerprint(served));
        }
    }

    private static void checkCertificate(X509Certificate certificate) throws Exception {
        assertEquals("CN=localhost", certificate.getSubjectX500Principal().getName());
        assertEquals("SHA256withECDSA", certificate.getSigAlgName());
        ECPublicKey key = (ECPublicKey) certificate.getPublicKey();
        assertEquals(256, key.getParams().getCurve().getField().getFieldSize());
        List<Object> names = List.copyOf(certificate.getSubjectAlternativeNames());
        assertTrue(names.contains(List.of(2, "localhost")), names.toString());
        assertTrue(names.contains(List.of(7, "127.0.0.1")), names.toString());
        long days = Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant())
                .toDays();
        assertTrue(days >= 365 && days <= 366, "validity " + days + " days");
        assertTrue(certificate.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(364))));
        certificate.verify(certificate.getPublicKey());
    }

    @Test
    void aTakenPortFailsTheStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Exception e = assertThrows(Exception.class, () -> DemoServer.start(DemoOptions.parse(
                    "--port", Integer.toString(taken.getLocalPort()), "--data-dir", temp.resolve("data").toString())));
            assertNotNull(DemoServer.describe(e));
        }
    }

    private static long sum(Map<String, Long> counters) {
        return counters.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String fingerprint(X509Certificate certificate) throws Exception {
        return HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }
}
