package org.reprise.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprise.tomcat.BcTls12Handshake;

/**
 * End to end, the miss reasons that replaced {@code binding_mismatch}, seen where an administrator sees them: a
 * Bouncy Castle client that resumes without the extended master secret it used the first time, and {@code openssl
 * s_client} resuming under another {@code -servername}, each a full handshake on the admin test server's Reprise
 * connector, move {@code reprise_resumption_misses_total{reason="ems_mismatch"}} and {@code {reason="host_mismatch"}}
 * on the Prometheus page.
 */
class MissReasonsPrometheusTest {

    private static final Pattern MISS = Pattern.compile("reprise_resumption_misses_total\\{connector=\""
            + AdminServer.CONNECTOR + "\",node=\"node-a\",reason=\"([a-z_0-9]+)\"\\} ([0-9.eE+]+)");

    @TempDir
    Path dir;

    @Test
    void emsAndServerNameMissesAppearOnThePrometheusPage() throws Exception {
        try (AdminServer server = AdminServer.start(dir)) {
            AdminServer.Client admin = server.client("admin", "secret");
            String before = misses(admin);

            // a client without EMS makes a session; offering EMS now, it does not resume it (allowLegacyResumption
            // is off, and a session without EMS never resumes for a client that offers it)
            BcTls12Handshake withoutEms = BcTls12Handshake.run(server.tlsPort(), false, null);
            BcTls12Handshake withEms = BcTls12Handshake.run(server.tlsPort(), true, withoutEms.session());
            assertFalse(withEms.resumed(), "a session made without EMS does not resume with it");

            Path session = dir.resolve("s.pem");
            String first = sClient(server.tlsPort(), "localhost", "-sess_out", session.toString());
            assertTrue(first.contains("New, TLSv1.2"), first);
            String again = sClient(server.tlsPort(), "other.test", "-sess_in", session.toString());
            assertTrue(again.contains("New, TLSv1.2"), "not resumed under another -servername: " + again);

            String after = misses(admin);
            System.out.println("reprise_resumption_misses_total before:\n" + before);
            System.out.println("reprise_resumption_misses_total after:\n" + after);
            assertEquals(count(before, "ems_mismatch") + 1, count(after, "ems_mismatch"), after);
            assertEquals(count(before, "host_mismatch") + 1, count(after, "host_mismatch"), after);
            assertFalse(after.contains("binding_mismatch"), after);
        }
    }

    /** The misses family of the Prometheus page, one sample a line. */
    private static String misses(AdminServer.Client admin) throws Exception {
        HttpResponse<String> r = admin.get("metrics");
        assertEquals(200, r.statusCode(), r.body());
        List<String> lines = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (MISS.matcher(line).matches()) {
                lines.add(line);
            }
        }
        assertTrue(lines.size() > 10, r.body());
        return String.join("\n", lines);
    }

    private static long count(String samples, String reason) {
        for (String line : samples.split("\n")) {
            Matcher m = MISS.matcher(line);
            if (m.matches() && m.group(1).equals(reason)) {
                return (long) Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no sample for " + reason + " in " + samples);
    }

    /** One {@code openssl s_client} TLS 1.2 handshake by session ID; its output. */
    private static String sClient(int port, String serverName, String... session) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", serverName, "-tls1_2", "-no_ticket"));
        command.addAll(List.of(session));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("s_client did not finish");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
