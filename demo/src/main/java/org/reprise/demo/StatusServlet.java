package org.reprise.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MetricsSnapshot;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.metrics.Protocol;
import org.reprise.tomcat.ResumptionSslImplementation;
import org.reprise.tomcat.ResumptionSslSupport;

/**
 * The demo page: how this request's TLS connection was made, whether its handshake resumed, and the
 * connector's resumption counters. HTML, or JSON when the {@code Accept} header names
 * {@code application/json}.
 *
 * <p>JSON keys: {@code protocol}, {@code cipherSuite}, {@code sessionId} (hex; null when the connection
 * has none), {@code resumed} (boolean), {@code httpProtocol}, {@code engine} (the connector's
 * {@code resumptionEngine}: {@code openssl} or {@code bc}), {@code connector} (its JMX name) and
 * {@code metrics}, whose keys are those of {@link MetricsSnapshot}.
 */
final class StatusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String PROTOCOL_ATTR = "jakarta.servlet.request.secure_protocol";
    static final String CIPHER_SUITE_ATTR = "jakarta.servlet.request.cipher_suite";
    static final String SESSION_ID_ATTR = "jakarta.servlet.request.ssl_session_id";
    static final String SESSION_MGR_ATTR = "jakarta.servlet.request.ssl_session_mgr";

    private final transient Supplier<ResumptionSslImplementation> resumption;
    /** Jackson, as the admin page writes its JSON: compact, one line, keys in insertion order. */
    private final transient ObjectMapper mapper = new ObjectMapper();
    private final String fingerprint;
    private final transient DemoEngine engine;

    /**
     * @param resumption  the connector's Reprise implementation, asked on each request
     * @param engine      the engine the connector runs on
     * @param fingerprint the server certificate's SHA-256 fingerprint
     */
    StatusServlet(Supplier<ResumptionSslImplementation> resumption, DemoEngine engine, String fingerprint) {
        this.resumption = resumption;
        this.engine = engine;
        this.fingerprint = fingerprint;
    }

    /** What one request's connection looks like. */
    private record ConnectionView(@Nullable String protocol, @Nullable String cipherSuite, @Nullable String sessionId,
            boolean resumed, String httpProtocol) {

        static ConnectionView of(HttpServletRequest request) {
            Object mgr = request.getAttribute(SESSION_MGR_ATTR);
            return new ConnectionView(string(request.getAttribute(PROTOCOL_ATTR)),
                    string(request.getAttribute(CIPHER_SUITE_ATTR)), string(request.getAttribute(SESSION_ID_ATTR)),
                    mgr instanceof ResumptionSslSupport support && support.isSessionResumed(), request.getProtocol());
        }

        private static @Nullable String string(@Nullable Object value) {
            return value == null || value.toString().isEmpty() ? null : value.toString();
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ConnectionView connection = ConnectionView.of(request);
        ResumptionSslImplementation reprise = resumption.get();
        MetricsSnapshot metrics = reprise.metrics().snapshot();
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Vary", "Accept");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setCharacterEncoding("UTF-8");
        String accept = request.getHeader("Accept");
        if (accept != null && accept.toLowerCase(Locale.ROOT).contains("application/json")) {
            response.setContentType("application/json");
            response.getWriter().write(json(connection, reprise.name(), metrics) + "\n");
        } else {
            response.setContentType("text/html");
            response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
            html(response.getWriter(), connection, reprise.name(), reprise.metricsName().toString(), metrics, request);
        }
    }

    private String json(ConnectionView connection, String connector, MetricsSnapshot metrics)
            throws JsonProcessingException {
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("handshakesFullByProtocol", metrics.handshakesFullByProtocol());
        counters.put("handshakesResumedByProtocol", metrics.handshakesResumedByProtocol());
        counters.put("requestedByMechanism", metrics.requestedByMechanism());
        counters.put("hitsByMechanism", metrics.hitsByMechanism());
        counters.put("missesByReason", metrics.missesByReason());
        counters.put("storeErrors", metrics.storeErrors());
        counters.put("keyRotations", metrics.keyRotations());
        counters.put("ticketsIssued", metrics.ticketsIssued());
        counters.put("sessionsStored", metrics.sessionsStored());
        counters.put("storeWritesDropped", metrics.storeWritesDropped());
        counters.put("sweeps", metrics.sweeps());
        counters.put("sessionsSwept", metrics.sessionsSwept());
        counters.put("sweepMillis", metrics.sweepMillis());
        counters.put("ticketKeysUnreadable", metrics.ticketKeysUnreadable());
        counters.put("sessionsUnreadable", metrics.sessionsUnreadable());
        counters.put("sessionsRefused", metrics.sessionsRefused());
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("protocol", connection.protocol());
        body.put("cipherSuite", connection.cipherSuite());
        body.put("sessionId", connection.sessionId());
        body.put("resumed", connection.resumed());
        body.put("httpProtocol", connection.httpProtocol());
        body.put("engine", engine.name());
        body.put("connector", connector);
        body.put("metrics", counters);
        return mapper.writeValueAsString(body);
    }

    private void html(PrintWriter out, ConnectionView c, String connector, String jmxName, MetricsSnapshot m,
            HttpServletRequest request) {
        String url = "https://" + request.getServerName() + ":" + request.getServerPort() + "/";
        out.println("<!DOCTYPE html>");
        out.println("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        out.println("<title>Reprise demo</title>");
        out.println("<style>");
        out.println("body{font:15px/1.45 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
                + "color:#1d2330}");
        out.println("h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:1.8rem}");
        out.println("table{border-collapse:collapse;margin:.4rem 0 1rem}td,th{padding:.25rem .8rem;"
                + "border-bottom:1px solid #dde2ea;text-align:left}th{background:#f3f5f9}td.n{text-align:right;"
                + "font-variant-numeric:tabular-nums}");
        out.println("code,pre{font:13px ui-monospace,monospace}pre{background:#f3f5f9;padding:.6rem;"
                + "overflow-x:auto}.yes{color:#0a7a2f;font-weight:600}.no{color:#9a5b00;font-weight:600}"
                + ".note{background:#fff8e6;border-left:3px solid #e0a800;padding:.5rem .8rem}"
                + ".muted{color:#5d6675}");
        out.println("</style></head><body>");
        out.println("<h1>Reprise demo</h1>");
        out.println("<p class=\"muted\">Embedded Tomcat; TLS by Reprise's " + esc(engine.title()) + " (<code>"
                + esc(engine.name()) + "</code>) on connector <code>" + esc(connector) + "</code>.</p>");

        out.println("<h2>This connection</h2><table>");
        row(out, "TLS protocol", code(c.protocol()));
        row(out, "Cipher suite", code(c.cipherSuite()));
        row(out, "Session ID", code(c.sessionId()));
        row(out, "Resumed", c.resumed() ? "<span class=\"yes\">yes</span> (abbreviated handshake)"
                : "<span class=\"no\">no</span> (full handshake)");
        row(out, "HTTP", code(c.httpProtocol()));
        out.println("</table>");
        if (Protocol.TLS_1_3.label().equals(c.protocol()) && !engine.resumesTls13()) {
            out.println("<p class=\"note\">TLS 1.3 on the Bouncy Castle engine is always a full handshake: Bouncy "
                    + "Castle has no server-side TLS 1.3 resumption. A client's offer to resume is counted as "
                    + "requested <code>tls13_psk</code> and missed with reason <code>engine_unsupported</code>. "
                    + "Start the demo with <code>--protocols TLSv1.2</code> to watch your browser resume.</p>");
        } else if (!c.resumed()) {
            out.println("<p class=\"note\">Reloading this page usually reuses the same connection, so nothing new "
                    + "is negotiated. A new connection (after the keep-alive timeout, or from the command below) "
                    + "resumes this session.</p>");
        }

        out.println("<h2>Counters</h2>");
        out.println("<table><tr><th>Handshakes</th><th>full</th><th>resumed</th></tr>");
        for (Protocol p : Protocol.values()) {
            out.println("<tr><td>" + esc(p.label()) + "</td>" + num(m.handshakesFullByProtocol().get(p.label()))
                    + num(m.handshakesResumedByProtocol().get(p.label())) + "</tr>");
        }
        out.println("</table>");
        out.println("<table><tr><th>Resumption by</th><th>requested</th><th>hits</th></tr>");
        for (Mechanism mech : Mechanism.values()) {
            out.println("<tr><td>" + esc(mech.label()) + "</td>" + num(m.requestedByMechanism().get(mech.label()))
                    + num(m.hitsByMechanism().get(mech.label())) + "</tr>");
        }
        out.println("</table>");
        out.println("<table><tr><th>Misses by reason</th><th>count</th></tr>");
        for (MissReason reason : MissReason.values()) {
            out.println("<tr><td>" + esc(reason.label()) + "</td>" + num(m.missesByReason().get(reason.label()))
                    + "</tr>");
        }
        out.println("</table>");
        out.println("<table><tr><th>Other</th><th>count</th></tr>");
        out.println("<tr><td>store_errors</td>" + num(m.storeErrors()) + "</tr>");
        out.println("<tr><td>key_rotations</td>" + num(m.keyRotations()) + "</tr>");
        out.println("<tr><td>tickets_issued</td>" + num(m.ticketsIssued()) + "</tr>");
        out.println("<tr><td>sessions_stored</td>" + num(m.sessionsStored()) + "</tr>");
        out.println("<tr><td>store_writes_dropped</td>" + num(m.storeWritesDropped()) + "</tr>");
        out.println("<tr><td>sweeps</td>" + num(m.sweeps()) + "</tr>");
        out.println("<tr><td>sessions_swept</td>" + num(m.sessionsSwept()) + "</tr>");
        out.println("<tr><td>sweep_millis</td>" + num(m.sweepMillis()) + "</tr>");
        out.println("<tr><td>ticket_keys_unreadable</td>" + num(m.ticketKeysUnreadable()) + "</tr>");
        out.println("<tr><td>sessions_unreadable</td>" + num(m.sessionsUnreadable()) + "</tr>");
        out.println("<tr><td>sessions_refused</td>" + num(m.sessionsRefused()) + "</tr>");
        out.println("</table>");

        String hostPort = request.getServerName() + ":" + request.getServerPort();
        out.println("<h2>See a resumption</h2>");
        String version = engine.resumesTls13() ? "1.3" : "1.2";
        String tlsOption = engine.resumesTls13() ? "--tlsv1.3" : "--tlsv1.2 --tls-max 1.2";
        out.println("<p>Two requests on two TLS " + version + " connections; the second resumes"
                + (engine.resumesTls13() ? "" : " by session ID (curl turns TLS 1.2 session tickets off)") + ":</p>");
        out.println("<pre>curl -sk --http1.1 " + tlsOption + " -H 'Accept: application/json' "
                + "-H 'Connection: close' -w '\\n' " + esc(url) + " " + esc(url) + "</pre>");
        // a TLS 1.3 ticket comes after the handshake: s_client must stay connected a moment to save it
        String sClient = (engine.resumesTls13() ? "sleep 1 | " : "") + "openssl s_client -connect " + esc(hostPort)
                + " -tls1_" + version.charAt(2);
        String input = engine.resumesTls13() ? "" : " &lt; /dev/null";
        out.println("<p>With OpenSSL's client" + (engine.resumesTls13() ? "" : ", by session ticket (RFC 5077)")
                + ": the second command prints <code>Reused, TLSv" + version + "</code>.</p>");
        out.println("<pre>" + sClient + " -sess_out s.pem" + input + "\n"
                + sClient + " -sess_in s.pem" + input + " | grep -E '^(New|Reused)'</pre>");
        out.println("<p>The same page as JSON: send <code>Accept: application/json</code>. Counters are also in JMX "
                + "as <code>" + esc(jmxName) + "</code>.</p>");
        out.println("<p class=\"muted\">Server certificate SHA-256: <code>" + esc(fingerprint) + "</code></p>");
        out.println("</body></html>");
    }

    private static void row(PrintWriter out, String name, String valueHtml) {
        out.println("<tr><th>" + esc(name) + "</th><td>" + valueHtml + "</td></tr>");
    }

    private static String code(@Nullable String value) {
        return value == null ? "<span class=\"muted\">none</span>" : "<code>" + esc(value) + "</code>";
    }

    private static String num(@Nullable Long value) {
        return "<td class=\"n\">" + (value == null ? 0 : value) + "</td>";
    }

    /** @return the text with every HTML-special character escaped, safe in elements and quoted attributes */
    static String esc(@Nullable String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}
