package org.reprise.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionRecord;

/**
 * The JSON API, its security and the Prometheus page, in an embedded Tomcat serving src/main/webapp over HTTPS,
 * with a plain HTTP connector next to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiTest {

    private static final int COUNT = 100_000;
    private static final String XSS = "<img src=x onerror=alert(1)>.example";
    private static final Instant BASE = Instant.now().minusSeconds(COUNT + 60);
    /** The largest purge body the API reads, as its README says: 1 MiB. */
    private static final int BODY_CAP = 1 << 20;

    @TempDir
    static Path dir;

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<String> audit = new CopyOnWriteArrayList<>();
    /** Held so that the logger, and the handler on it, outlive garbage collection. */
    private final Logger auditLogger = Logger.getLogger(Audit.LOGGER);
    private final Handler auditHandler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            audit.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private AdminServer server;
    private AdminServer.Client admin;

    @BeforeAll
    void start() throws Exception {
        server = AdminServer.start(dir);
        auditLogger.addHandler(auditHandler);
    }

    @AfterAll
    void stop() throws Exception {
        auditLogger.removeHandler(auditHandler);
        server.close();
    }

    @BeforeEach
    void fill() throws Exception {
        // Emptied by a sweep far in the future, not a purge: a purge would stand against the records below,
        // which were all authenticated before it
        server.store.sweepExpired(Instant.now().plus(java.time.Duration.ofDays(3650)));
        Instant expires = Instant.now().plusSeconds(3600);
        for (int i = 0; i < COUNT; i++) {
            server.store.store(record(i, expires).build());
        }
        admin = server.client("admin", "secret").fetchToken();
        audit.clear();
    }

    /** Session i: ID 0000..i, host h{i%10}.example, node n{i%4}, TLS 1.2 for even i, created BASE + i s. */
    private static SessionRecord.Builder record(int i, Instant expires) {
        byte[] id = ByteBuffer.allocate(32).putInt(i).putLong(8, 0x5eed_5eedL).array();
        return SessionRecord.builder().id(SessionId.of(id)).realm(AdminServer.CONNECTOR).protocol(i % 2 == 0 ? "TLSv1.2" : "TLSv1.3")
                .cipherSuite(i % 2 == 0 ? "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" : "TLS_AES_128_GCM_SHA256")
                .hostConfig("localhost").sniHost("h" + (i % 10) + ".example").created(BASE.plusSeconds(i))
                .expires(expires).resumeCount(i % 7).node("n" + (i % 4)).engine("bc")
                .secretState(new byte[] {1, 2, 3});
    }

    private static String hex(int i) {
        return String.format("%08x", i) + "00000000" + "000000005eed5eed" + "0".repeat(32);
    }

    private JsonNode json(HttpResponse<String> r) throws Exception {
        return mapper.readTree(r.body());
    }

    @Test
    void noCredentialsIs401AndWrongRoleIs403() throws Exception {
        AdminServer.Client anonymous = server.client(null, null);
        for (String path : List.of("", "index.html", "api/sessions", "api/connectors", "metrics")) {
            HttpResponse<String> r = anonymous.get(path);
            assertEquals(401, r.statusCode(), path);
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"), path);
        }
        assertEquals(401, server.client("admin", "wrong").get("api/sessions").statusCode());
        AdminServer.Client viewer = server.client("viewer", "secret");
        assertEquals(403, viewer.get("api/sessions").statusCode());
        assertEquals(403, viewer.get("index.html").statusCode());
        assertEquals(403, viewer.send("POST", "api/sessions/purge-all", "").statusCode());
        assertEquals(COUNT, server.store.size());
    }

    @Test
    void plainHttpIsRedirectedToHttpsAndNeverChallengedOrAnswered() throws Exception {
        AdminServer.Client anonymous = server.client(server.httpBase(), null, null);
        AdminServer.Client inClear = server.client(server.httpBase(), "admin", "secret");
        for (String path : List.of("", "index.html", "api/sessions?size=1", "api/connectors", "metrics")) {
            for (AdminServer.Client client : List.of(anonymous, inClear)) {
                HttpResponse<String> r = client.get(path);
                assertEquals(302, r.statusCode(), path);
                assertEquals(server.base() + path, r.headers().firstValue("Location").orElse(""), path);
                // no challenge: a browser would otherwise send the password in clear
                assertTrue(r.headers().firstValue("WWW-Authenticate").isEmpty(), path);
                assertFalse(r.body().contains(AdminServer.CONNECTOR), r.body());
            }
        }
        // a state change over plain HTTP changes nothing, even with the password and a good CSRF token
        HttpResponse<String> purge = inClear.send("POST", "api/sessions/purge-all", "",
                "X-CSRF-Token", admin.csrf, "Cookie", "JSESSIONID=" + admin.cookie("JSESSIONID"));
        assertEquals(302, purge.statusCode());
        assertEquals(COUNT, server.store.size());
        assertTrue(audit.isEmpty(), audit.toString());
    }

    @Test
    void anotherAddressThanLocalhostIs403BeforeAnyChallenge() throws Exception {
        InetAddress other = AdminServer.otherAddress().orElse(null);
        Assumptions.assumeTrue(other != null, "this machine has no address but loopback ones to connect from");
        AdminServer.Client anonymous = server.client(server.base(other), null, null);
        AdminServer.Client remoteAdmin = server.client(server.base(other), "admin", "secret");
        for (String path : List.of("", "index.html", "api/sessions?size=1", "api/connectors", "metrics")) {
            for (AdminServer.Client client : List.of(anonymous, remoteAdmin)) {
                HttpResponse<String> r = client.get(path);
                assertEquals(403, r.statusCode(), other + " " + path);
                assertTrue(r.headers().firstValue("WWW-Authenticate").isEmpty(), path);
                assertFalse(r.body().contains(AdminServer.CONNECTOR), r.body());
            }
        }
        assertEquals(403, remoteAdmin.send("POST", "api/sessions/purge-all", "").statusCode());
        assertEquals(COUNT, server.store.size());
    }

    @Test
    void connectorsAreListed() throws Exception {
        JsonNode list = json(admin.get("api/connectors"));
        assertEquals(1, list.size());
        assertEquals(AdminServer.CONNECTOR, list.get(0).get("name").asText());
        assertEquals("node-a", list.get(0).get("node").asText());
        assertEquals(404, admin.get("api/sessions?connector=nope").statusCode());
        assertEquals(404, admin.get("api/keys?connector=nope").statusCode());
    }

    @Test
    void pagesOverAHundredThousandSessions() throws Exception {
        JsonNode first = json(admin.get("api/sessions?sort=created&desc=false&page=0&size=50"));
        assertEquals(COUNT, first.get("total").asLong());
        assertEquals(50, first.get("sessions").size());
        assertEquals(hex(0), first.get("sessions").get(0).get("id").asText());
        assertEquals("00000000", first.get("sessions").get(0).get("shortId").asText());

        JsonNode page = json(admin.get("api/sessions?sort=created&desc=false&page=7&size=100"));
        assertEquals(COUNT, page.get("total").asLong());
        assertEquals(7, page.get("page").asInt());
        for (int k = 0; k < 100; k++) {
            JsonNode s = page.get("sessions").get(k);
            int i = 700 + k;
            assertEquals(hex(i), s.get("id").asText());
            assertEquals("h" + (i % 10) + ".example", s.get("sniHost").asText());
            assertEquals(BASE.plusSeconds(i).toEpochMilli(), s.get("created").asLong());
            assertTrue(s.get("lastResumed").isNull());
            assertEquals("bc", s.get("engine").asText());
            assertFalse(s.has("secretState"));
        }

        JsonNode last = json(admin.get("api/sessions?sort=created&desc=true&page=0&size=1000"));
        assertEquals(1000, last.get("sessions").size());
        assertEquals(hex(COUNT - 1), last.get("sessions").get(0).get("id").asText());
        JsonNode beyond = json(admin.get("api/sessions?page=100&size=1000"));
        assertEquals(COUNT, beyond.get("total").asLong());
        assertEquals(0, beyond.get("sessions").size());

        JsonNode byCount = json(admin.get("api/sessions?sort=resume_count&desc=true&size=10"));
        assertEquals(6, byCount.get("sessions").get(0).get("resumeCount").asLong());
    }

    @Test
    void filters() throws Exception {
        JsonNode host = json(admin.get("api/sessions?host=h3.example&size=1000"));
        assertEquals(COUNT / 10, host.get("total").asLong());
        host.get("sessions").forEach(s -> assertEquals("h3.example", s.get("sniHost").asText()));

        JsonNode combined = json(admin.get("api/sessions?host=h3.example&node=n1&protocol=TLSv1.3&size=1000"));
        // i % 10 == 3 and i % 4 == 1 (so odd: TLS 1.3): i % 20 == 13
        assertEquals(COUNT / 20, combined.get("total").asLong());
        combined.get("sessions").forEach(s -> {
            assertEquals("n1", s.get("node").asText());
            assertEquals("TLSv1.3", s.get("protocol").asText());
        });

        JsonNode text = json(admin.get("api/sessions?q=" + String.format("%08x", 4242)));
        assertEquals(1, text.get("total").asLong());
        assertEquals(hex(4242), text.get("sessions").get(0).get("id").asText());
    }

    @Test
    void badQueriesAre400() throws Exception {
        HttpResponse<String> r = admin.get("api/sessions?sort=secret_state");
        assertEquals(400, r.statusCode());
        assertTrue(json(r).get("error").asText().contains("Unknown sort column"));
        assertEquals(400, admin.get("api/sessions?size=0").statusCode());
        assertEquals(400, admin.get("api/sessions?size=1001").statusCode());
        assertEquals(400, admin.get("api/sessions?page=-1").statusCode());
        assertEquals(400, admin.delete("api/sessions/not-hex").statusCode());
        assertEquals(400, admin.post("api/sessions/purge", "{\"ids\": \"all\"}").statusCode());
        assertEquals(404, admin.get("api/nothing").statusCode());
        assertEquals(405, admin.get("api/sessions/purge-all").statusCode());
        assertEquals(COUNT, server.store.size());
    }

    @Test
    void pagesPastAMillionSessionsAre400NamingPage() throws Exception {
        for (String query : List.of("page=1000001&size=1", "page=2000000&size=1000", "page=20001",
                "page=2147483647&size=1")) {
            HttpResponse<String> r = admin.get("api/sessions?" + query);
            assertEquals(400, r.statusCode(), query + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), query);
            assertTrue(json(r).get("error").asText().startsWith("page must be"), r.body());
        }
        // the deepest pages allowed still answer (empty: there are fewer sessions)
        assertEquals(200, admin.get("api/sessions?page=1000&size=1000").statusCode());
        assertEquals(200, admin.get("api/sessions?page=20000").statusCode());
    }

    @Test
    void aFailingStoreIs503WithAJsonErrorAndNothingElse() throws Exception {
        // what the JDBC store throws while its database is down, with a driver's message as the cause
        server.outage.failing = new IllegalStateException("Reprise JDBC store: list: the database did not answer",
                new SQLException("Connection to db.internal:5432 refused. Check that the hostname and port are "
                        + "correct and that the postmaster is accepting TCP/IP connections."));
        List<HttpResponse<String>> answers;
        try {
            answers = List.of(admin.get("api/sessions"), admin.delete("api/sessions/" + hex(3)),
                    admin.post("api/sessions/purge", "{\"ids\":[\"" + hex(4) + "\"]}"),
                    admin.post("api/sessions/purge-all", null), admin.post("api/sessions/purge-expired", null));
        } finally {
            server.outage.failing = null;
        }
        for (HttpResponse<String> r : answers) {
            String request = r.request().method() + " " + r.request().uri();
            assertEquals(503, r.statusCode(), request + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), request);
            JsonNode body = json(r);
            assertEquals(List.of("error"), fieldNames(body), r.body());
            assertFalse(body.get("error").asText().isBlank(), r.body());
            for (String leak : List.of("db.internal", "5432", "postmaster", "JDBC", "Exception", "at org.")) {
                assertFalse(r.body().contains(leak), leak + " in " + r.body());
            }
        }
        assertEquals(COUNT, server.store.size());
        assertTrue(audit.isEmpty(), "nothing was purged: " + audit);
        assertEquals(200, admin.get("api/sessions?size=1").statusCode(), "answers again once the store is back");
    }

    @Test
    void aPurgeBodyOverTheCapIs413() throws Exception {
        // valid JSON that purges one session, padded past the cap with whitespace, which JSON allows
        byte[] padding = " ".repeat(BODY_CAP + 512 * 1024).getBytes(StandardCharsets.US_ASCII);
        byte[] ids = ("{\"ids\":[\"" + hex(5) + "\"]}").getBytes(StandardCharsets.US_ASCII);
        byte[] whole = new byte[padding.length + ids.length];
        System.arraycopy(padding, 0, whole, 0, padding.length);
        System.arraycopy(ids, 0, whole, padding.length, ids.length);

        HttpResponse<String> declared = admin.sendBody("POST", "api/sessions/purge",
                HttpRequest.BodyPublishers.ofByteArray(whole), "X-CSRF-Token", admin.csrf);
        // of unknown length, so sent chunked
        HttpResponse<String> chunked = admin.sendBody("POST", "api/sessions/purge",
                HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                        new ByteArrayInputStream(padding), new ByteArrayInputStream(ids))),
                "X-CSRF-Token", admin.csrf);
        for (HttpResponse<String> r : List.of(declared, chunked)) {
            assertEquals(413, r.statusCode(), r.body());
            assertTrue(json(r).get("error").asText().contains(String.valueOf(BODY_CAP)), r.body());
        }
        assertEquals(COUNT, server.store.size());
        assertTrue(audit.isEmpty(), audit.toString());
    }

    @Test
    void aPurgeBodyDeclaredOverTheCapIs413BeforeItIsSent() throws Exception {
        // Only the headers and the body's first bytes go out: the answer must come without the rest, so the
        // server has not waited to read (and hold) a gigabyte. The read timeout only keeps a failure short.
        try (SSLSocket socket = (SSLSocket) server.sslContext().getSocketFactory()
                .createSocket("127.0.0.1", server.tlsPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /reprise-admin/api/sessions/purge HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: " + admin.authorization + "\r\n"
                    + "Cookie: JSESSIONID=" + admin.cookie("JSESSIONID") + "\r\n"
                    + "X-CSRF-Token: " + admin.csrf + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (1L << 30) + "\r\n\r\n{\"ids\":[").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Read up to the end of the JSON body, not of the stream: Tomcat keeps reading (and dropping) what the
            // client declared for a while after the answer, so that the client can read the answer first.
            InputStream in = socket.getInputStream();
            StringBuilder response = new StringBuilder();
            for (int c = in.read(); c >= 0; c = in.read()) {
                response.append((char) c);
                int head = response.indexOf("\r\n\r\n");
                if (head >= 0 && response.indexOf("}", head) >= 0) {
                    break;
                }
            }
            String answer = response.toString();
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
            assertTrue(answer.contains("{\"error\":\"The body is larger than " + BODY_CAP), answer);
        }
        assertEquals(COUNT, server.store.size());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void stateChangesNeedTheCsrfToken() throws Exception {
        String id = hex(17);
        AdminServer.Client noToken = server.client("admin", "secret");
        assertEquals(403, noToken.send("DELETE", "api/sessions/" + id, null).statusCode());
        assertEquals(403, noToken.send("POST", "api/sessions/purge-all", "").statusCode());
        assertEquals(403, noToken.send("POST", "api/keys/retire-all", "").statusCode());
        noToken.fetchToken();
        assertEquals(403, noToken.send("DELETE", "api/sessions/" + id, null, "X-CSRF-Token", "forged").statusCode());
        assertEquals(403, noToken.send("POST", "api/sessions/purge", "{\"ids\":[\"" + id + "\"]}",
                "X-CSRF-Token", "forged").statusCode());
        assertEquals(COUNT, json(admin.get("api/sessions?size=1")).get("total").asLong());
        assertEquals(1, json(admin.get("api/sessions?q=" + id)).get("total").asLong());
        assertTrue(audit.isEmpty(), audit.toString());

        HttpResponse<String> r = admin.delete("api/sessions/" + id);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(json(r).get("removed").asBoolean());
        assertFalse(json(admin.delete("api/sessions/" + id)).get("removed").asBoolean());
        assertEquals(0, json(admin.get("api/sessions?q=" + id)).get("total").asLong());
        assertTrue(audit.get(0).contains("user=admin") && audit.get(0).contains(AdminServer.CONNECTOR)
                && audit.get(0).contains("purged session " + id.substring(0, 8) + ": 1"), audit.toString());
        assertFalse(audit.get(0).contains(id), "the audit names the short ID only");

        r = admin.post("api/sessions/purge", "{\"ids\":[\"" + hex(1) + "\",\"" + hex(2) + "\",\"" + hex(17) + "\"]}");
        assertEquals(2, json(r).get("removed").asLong());
        assertEquals(COUNT - 3, json(admin.get("api/sessions?size=1")).get("total").asLong());
        assertTrue(audit.get(2).contains("purged selected sessions: 2 of 3"), audit.toString());

        // two expired sessions the sweeper has not reached yet
        Instant past = Instant.now().minusSeconds(5);
        server.store.store(record(COUNT + 1, past).created(past.minusSeconds(60)).build());
        server.store.store(record(COUNT + 2, past).created(past.minusSeconds(60)).build());
        r = admin.post("api/sessions/purge-expired", null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(audit.get(3).contains("purged expired sessions"), audit.toString());

        r = admin.post("api/sessions/purge-all", null);
        assertEquals(200, r.statusCode());
        assertTrue(json(r).get("removed").asLong() >= COUNT - 3);
        assertEquals(0, json(admin.get("api/sessions")).get("total").asLong());
        assertTrue(audit.get(4).contains("purged all sessions"), audit.toString());
    }

    @Test
    void keysRotateAndRetireWithoutShowingKeyBytes() throws Exception {
        assertEquals(200, admin.post("api/keys/rotate", null).statusCode()); // the ring may start empty
        audit.clear();
        JsonNode before = json(admin.get("api/keys"));
        assertTrue(before.size() >= 1, before.toString());
        assertEquals("encrypting", before.get(0).get("state").asText());
        Pattern hex = Pattern.compile("[0-9a-f]+");
        String oldFingerprint = before.get(0).get("fingerprint").asText();
        assertTrue(hex.matcher(oldFingerprint).matches());

        HttpResponse<String> rotated = admin.post("api/keys/rotate", null);
        assertEquals(200, rotated.statusCode(), rotated.body());
        String newFingerprint = json(rotated).get("fingerprint").asText();
        assertNotEquals(oldFingerprint, newFingerprint);
        JsonNode after = json(admin.get("api/keys"));
        assertEquals(newFingerprint, after.get(0).get("fingerprint").asText());
        assertEquals("encrypting", after.get(0).get("state").asText());
        List<String> states = new ArrayList<>();
        after.forEach(k -> {
            states.add(k.get("fingerprint").asText() + "=" + k.get("state").asText());
            List<String> fields = new ArrayList<>();
            k.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("generation", "fingerprint", "created", "encryptUntil", "decryptUntil", "state"),
                    fields);
        });
        assertTrue(states.contains(oldFingerprint + "=decrypt-only"), states.toString());
        assertEquals("[]", json(admin.get("api/keys/unreadable")).toString(), "this node opens every stored key");
        assertTrue(audit.get(0).contains("rotated ticket keys") && audit.get(0).contains("user=admin"), audit.toString());

        HttpResponse<String> retired = admin.post("api/keys/retire-all", null);
        assertEquals(200, retired.statusCode(), retired.body());
        JsonNode only = json(admin.get("api/keys"));
        assertEquals(1, only.size(), only.toString());
        assertEquals(json(retired).get("fingerprint").asText(), only.get(0).get("fingerprint").asText());
        assertTrue(audit.get(1).contains("retired all ticket keys"), audit.toString());

        JsonNode metrics = json(admin.get("api/metrics"));
        assertTrue(metrics.get("keyRotations").asLong() >= 2, metrics.toString());
    }

    @Test
    void prometheusTextParses() throws Exception {
        HttpResponse<String> r = admin.get("metrics");
        assertEquals(200, r.statusCode());
        String type = r.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.startsWith("text/plain") && type.contains("version=0.0.4"), type);
        Pattern sample = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)+\\} -?[0-9.eE+-]+");
        List<String> names = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            assertTrue(sample.matcher(line).matches(), line);
            assertTrue(line.contains("connector=\"" + AdminServer.CONNECTOR + "\""), line);
            names.add(line.substring(0, line.indexOf('{')));
        }
        for (String name : List.of("reprise_store_errors_total", "reprise_key_rotations_total",
                "reprise_sessions_stored_total", "reprise_sweeps_total", "reprise_ticket_keys_unreadable_total",
                "reprise_sessions_unreadable_total")) {
            assertTrue(names.contains(name), name + " in " + r.body());
            assertTrue(r.body().contains("# TYPE " + name + " counter"), name);
        }
    }

    @Test
    void metricsAndHistory() throws Exception {
        JsonNode m = json(admin.get("api/metrics"));
        for (String field : List.of("handshakesFull", "handshakesResumed", "resumptionRatio", "hits", "misses",
                "missesByReason", "storeErrors", "ticketKeysUnreadable", "sessionsUnreadable")) {
            assertNotNull(m.get(field), field);
        }
        long deadline = System.currentTimeMillis() + 10_000;
        JsonNode history;
        do {
            Thread.sleep(200);
            history = json(admin.get("api/metrics/history"));
        } while (history.get("samples").isEmpty() && System.currentTimeMillis() < deadline);
        assertEquals(1, history.get("intervalSeconds").asInt());
        JsonNode s = history.get("samples").get(0);
        assertNotNull(s, history.toString());
        assertTrue(s.get("full").isNumber() && s.get("resumed").isNumber() && s.get("misses").isObject());
    }

    @Test
    void securityHeadersAndEscapedHostNames() throws Exception {
        server.store.store(record(COUNT + 5, Instant.now().plusSeconds(600)).sniHost(XSS).build());
        HttpResponse<String> r = admin.get("api/sessions?host=" + java.net.URLEncoder.encode(XSS, "UTF-8"));
        assertEquals(200, r.statusCode());
        assertFalse(r.body().contains("<img"), r.body());
        assertTrue(r.body().contains("\\u003Cimg src=x onerror=alert(1)\\u003E.example"), r.body());
        assertEquals(XSS, json(r).get("sessions").get(0).get("sniHost").asText());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        for (String path : List.of("api/sessions", "index.html", "keys.html", "metrics.html", "metrics")) {
            HttpResponse<String> page = admin.get(path);
            assertEquals(200, page.statusCode(), path);
            assertEquals(SecurityHeadersFilter.POLICY, page.headers().firstValue("Content-Security-Policy").orElse(""),
                    path);
            assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""), path);
            assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""), path);
            assertTrue(page.headers().firstValue("Strict-Transport-Security").isEmpty(), path);
        }
    }
}
