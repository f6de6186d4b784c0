package org.reprise.admin;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.reprise.core.admin.ResumptionAdminMXBean;
import org.reprise.core.admin.SessionPageView;
import org.reprise.core.admin.SessionView;
import org.reprise.core.admin.TicketKeyView;
import org.reprise.core.metrics.ResumptionMetricsMXBean;

/**
 * The JSON API under {@code /api/*}: connectors, sessions (list, purge one, some, all, expired),
 * ticket keys (list, rotate, retire all) and metrics (counters and the last hour's rates). Every
 * endpoint but {@code connectors} takes {@code ?connector=}; without it, the first connector by name.
 * Authentication and CSRF protection come from web.xml. Every answer is JSON, errors included: a store that
 * fails (a database that is down) is a 503 whose details go to the log only.
 */
public final class AdminApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Set<String> SORTS = Set.of("created", "expires", "last_resumed", "resume_count", "host",
            "protocol", "cipher_suite", "id", "node");
    private static final Pattern HEX_ID = Pattern.compile("[0-9a-fA-F]{2,64}");
    private static final int MAX_IDS = 10_000;
    /**
     * How deep a listing may page: {@code page} × {@code size} at most this. A database skips an OFFSET row by
     * row, so the deeper the page the longer the scan; past a million sessions, filter or reverse the sort.
     */
    static final int MAX_OFFSET = 1_000_000;
    /**
     * The largest purge body read, in bytes: {@link #MAX_IDS} IDs of 64 hex digits, quoted and comma-separated,
     * take 670,000, and the rest leaves room for whitespace. The body is parsed in memory; this bounds it.
     */
    static final int MAX_BODY = 1 << 20;
    private static final Logger LOG = Logger.getLogger(AdminApiServlet.class.getName());

    private final transient Connectors connectors = new Connectors();
    private final transient Json json = new Json();
    private final transient Audit audit = new Audit();

    /** An error that becomes a JSON {@code {"error": ...}} response. */
    private static final class ApiError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        ApiError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        handle(req, resp, "GET");
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        handle(req, resp, "POST");
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        handle(req, resp, "DELETE");
    }

    private void handle(HttpServletRequest req, HttpServletResponse resp, String method) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        try {
            Object body = route(req, method, path);
            json.write(resp, HttpServletResponse.SC_OK, body);
        } catch (ApiError e) {
            json.write(resp, e.status, Map.of("error", e.getMessage()));
        } catch (IllegalArgumentException e) {
            json.write(resp, HttpServletResponse.SC_BAD_REQUEST, Map.of("error", String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            // The connector's store failed (a JDBC store throws so while its database is down): the client can
            // only try again later. The exception may name the database, so it goes to the log, not the client;
            // the log leaves the path out, which may hold a whole session ID.
            LOG.log(Level.WARNING, "Admin API " + method + ": the session store failed", e);
            json.write(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    Map.of("error", "The session store did not answer; try again later"));
        }
    }

    private Object route(HttpServletRequest req, String method, String path) throws ApiError, IOException {
        if (path.equals("/connectors")) {
            require(method, "GET");
            return connectors.list().stream()
                    .map(c -> mapOf("name", c.name(), "node", c.node()))
                    .toList();
        }
        if (path.startsWith("/sessions/") && !path.substring("/sessions/".length()).contains("/")) {
            String id = path.substring("/sessions/".length());
            switch (id) {
                case "purge" -> {
                    require(method, "POST");
                    return purgeSome(req);
                }
                case "purge-all" -> {
                    require(method, "POST");
                    Connectors.Handle c = connector(req);
                    long n = c.admin().removeAllSessions();
                    audit.record(req.getRemoteUser(), c.name(), "purged all sessions: " + n);
                    return Map.of("removed", n);
                }
                case "purge-expired" -> {
                    require(method, "POST");
                    Connectors.Handle c = connector(req);
                    long n = c.admin().removeExpiredSessions();
                    audit.record(req.getRemoteUser(), c.name(), "purged expired sessions: " + n);
                    return Map.of("removed", n);
                }
                default -> {
                    require(method, "DELETE");
                    return purgeOne(req, id);
                }
            }
        }
        return switch (path) {
            case "/sessions" -> {
                require(method, "GET");
                yield sessions(req);
            }
            case "/keys" -> {
                require(method, "GET");
                List<TicketKeyView> keys = connector(req).admin().getTicketKeys();
                // a key above the encrypting one was made ahead of time and takes over when its period ends
                long encrypting = keys.stream().filter(TicketKeyView::isEncrypting)
                        .mapToLong(TicketKeyView::getGeneration).findFirst().orElse(Long.MAX_VALUE);
                yield keys.stream().map(k -> key(k, !k.isEncrypting() && k.getGeneration() > encrypting)).toList();
            }
            case "/keys/unreadable" -> {
                require(method, "GET");
                yield connector(req).admin().getUnreadableTicketKeys().stream()
                        .map(k -> mapOf("generation", k.getGeneration(), "dataKeyId", k.getDataKeyId(),
                                "decryptUntil", k.getDecryptUntil()))
                        .toList();
            }
            case "/keys/rotate" -> {
                require(method, "POST");
                Connectors.Handle c = connector(req);
                TicketKeyView k = c.admin().rotateTicketKeys();
                audit.record(req.getRemoteUser(), c.name(), "rotated ticket keys: new key generation "
                        + k.getGeneration() + " " + k.getName());
                yield key(k, false);
            }
            case "/keys/retire-all" -> {
                require(method, "POST");
                Connectors.Handle c = connector(req);
                TicketKeyView k = c.admin().retireAllTicketKeys();
                audit.record(req.getRemoteUser(), c.name(), "retired all ticket keys: new key generation "
                        + k.getGeneration() + " " + k.getName());
                yield key(k, false);
            }
            case "/metrics" -> {
                require(method, "GET");
                yield metrics(connector(req));
            }
            case "/metrics/history" -> {
                require(method, "GET");
                yield history(connector(req));
            }
            default -> throw new ApiError(HttpServletResponse.SC_NOT_FOUND, "No such endpoint: " + path);
        };
    }

    private static void require(String method, String expected) throws ApiError {
        if (!method.equals(expected)) {
            throw new ApiError(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "Use " + expected);
        }
    }

    private Connectors.Handle connector(HttpServletRequest req) throws ApiError {
        String name = req.getParameter("connector");
        return connectors.find(name).orElseThrow(() -> new ApiError(HttpServletResponse.SC_NOT_FOUND,
                name == null || name.isBlank() ? "No Reprise connector in this server" : "No connector " + name));
    }

    private Object sessions(HttpServletRequest req) throws ApiError {
        Connectors.Handle c = connector(req);
        String sort = param(req, "sort", "created");
        if (!SORTS.contains(sort)) {
            throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "Unknown sort column; use one of "
                    + String.join(", ", SORTS.stream().sorted().toList()));
        }
        boolean desc = Boolean.parseBoolean(param(req, "desc", "true"));
        int size = integer(req, "size", 50, 1, 1000);
        int page = integer(req, "page", 0, 0, MAX_OFFSET / size);
        SessionPageView view = c.admin().listSessions(blankToNull(req.getParameter("host")),
                blankToNull(req.getParameter("node")), blankToNull(req.getParameter("protocol")),
                blankToNull(req.getParameter("q")), sort, desc, page * size, size);
        List<Map<String, Object>> sessions = new ArrayList<>();
        for (SessionView s : view.getSessions()) {
            sessions.add(session(s));
        }
        return mapOf("connector", c.name(), "total", view.getTotal(), "page", page, "size", size,
                "sort", sort, "desc", desc, "sessions", sessions);
    }

    private Object purgeOne(HttpServletRequest req, String id) throws ApiError {
        if (!HEX_ID.matcher(id).matches()) {
            throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "A session ID is 2 to 64 hex digits");
        }
        Connectors.Handle c = connector(req);
        boolean removed = c.admin().removeSession(id);
        audit.record(req.getRemoteUser(), c.name(), "purged session " + shortId(id) + ": " + (removed ? 1 : 0));
        return Map.of("removed", removed);
    }

    private Object purgeSome(HttpServletRequest req) throws ApiError, IOException {
        // A body declared too large is refused before a byte of it is read, and one of unknown length (chunked)
        // is read up to the cap only.
        if (req.getContentLengthLong() > MAX_BODY) {
            throw bodyTooLarge();
        }
        JsonNode body;
        try {
            body = json.read(new CappedInputStream(req.getInputStream(), MAX_BODY));
        } catch (CappedInputStream.TooLarge e) {
            throw bodyTooLarge();
        } catch (IOException e) {
            throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "The body is not JSON");
        }
        JsonNode ids = body == null ? null : body.get("ids");
        if (ids == null || !ids.isArray() || ids.size() > MAX_IDS) {
            throw new ApiError(HttpServletResponse.SC_BAD_REQUEST,
                    "Send {\"ids\": [...]} with at most " + MAX_IDS + " session IDs");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || !HEX_ID.matcher(id.asText()).matches()) {
                throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "A session ID is 2 to 64 hex digits");
            }
            list.add(id.asText());
        }
        Connectors.Handle c = connector(req);
        long n = list.isEmpty() ? 0 : c.admin().removeSessions(list);
        audit.record(req.getRemoteUser(), c.name(), "purged selected sessions: " + n + " of " + list.size());
        return Map.of("removed", n);
    }

    private static ApiError bodyTooLarge() {
        return new ApiError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "The body is larger than " + MAX_BODY
                + " bytes; send at most " + MAX_IDS + " session IDs at once");
    }

    private Object metrics(Connectors.Handle c) {
        ResumptionMetricsMXBean m = c.metrics();
        long full = m.getHandshakesFull();
        long resumed = m.getHandshakesResumed();
        Map<String, Object> out = mapOf("connector", c.name(), "handshakesFull", full, "handshakesResumed", resumed,
                "resumptionRatio", full + resumed == 0 ? 0.0 : (double) resumed / (full + resumed),
                "resumptionsRequested", m.getResumptionsRequested(), "hits", m.getHits(), "misses", m.getMisses(),
                "storeErrors", m.getStoreErrors(), "keyRotations", m.getKeyRotations(),
                "ticketsIssued", m.getTicketsIssued(), "sessionsStored", m.getSessionsStored(),
                "storeWritesDropped", m.getStoreWritesDropped(), "sweeps", m.getSweeps(),
                "sessionsSwept", m.getSessionsSwept(), "sweepMillis", m.getSweepMillis(),
                "ticketKeysUnreadable", m.getTicketKeysUnreadable(), "sessionsUnreadable", m.getSessionsUnreadable(),
                "sessionsRefused", m.getSessionsRefused());
        out.put("handshakesFullByProtocol", m.getHandshakesFullByProtocol());
        out.put("handshakesResumedByProtocol", m.getHandshakesResumedByProtocol());
        out.put("requestedByMechanism", m.getRequestedByMechanism());
        out.put("hitsByMechanism", m.getHitsByMechanism());
        out.put("missesByReason", m.getMissesByReason());
        return out;
    }

    private Object history(Connectors.Handle c) {
        MetricsSampler sampler = (MetricsSampler) getServletContext().getAttribute(MetricsSampler.ATTRIBUTE);
        if (sampler == null) {
            return mapOf("connector", c.name(), "intervalSeconds", 0, "samples", List.of());
        }
        return mapOf("connector", c.name(), "intervalSeconds", sampler.intervalSeconds(),
                "samples", sampler.history(c.name()));
    }

    private static Map<String, Object> session(SessionView s) {
        return mapOf("id", s.getId(), "shortId", shortId(s.getId()), "hostConfig", s.getHostConfig(),
                "sniHost", s.getSniHost(), "protocol", s.getProtocol(), "cipherSuite", s.getCipherSuite(),
                "created", s.getCreated(), "expires", s.getExpires(),
                "lastResumed", s.getLastResumed() == 0 ? null : s.getLastResumed(),
                "resumeCount", s.getResumeCount(), "node", s.getNode(), "engine", s.getEngine(),
                "peerIdentity", s.getPeerIdentity());
    }

    private static Map<String, Object> key(TicketKeyView k, boolean next) {
        return mapOf("generation", k.getGeneration(), "fingerprint", k.getName(), "created", k.getCreated(),
                "encryptUntil", k.getEncryptUntil(), "decryptUntil", k.getDecryptUntil(),
                "state", k.isEncrypting() ? "encrypting" : next ? "next" : "decrypt-only");
    }

    private static String shortId(String id) {
        return id.length() <= 8 ? id : id.substring(0, 8);
    }

    /** A map in insertion order that, unlike Map.of, keeps null values. */
    private static Map<String, Object> mapOf(@Nullable Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
        }
        return m;
    }

    private static String param(HttpServletRequest req, String name, String fallback) {
        String v = req.getParameter(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static int integer(HttpServletRequest req, String name, int fallback, int min, int max) throws ApiError {
        String v = req.getParameter(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, name + " must be a whole number from " + min
                + " to " + max);
    }

    /** Lets at most a cap of bytes be read from a stream, then fails rather than read on. */
    private static final class CappedInputStream extends FilterInputStream {
        /** More than the cap was sent. */
        static final class TooLarge extends IOException {
            private static final long serialVersionUID = 1L;

            TooLarge() {
                super("too large", null);
            }
        }

        private long left;

        CappedInputStream(InputStream in, long cap) {
            super(in);
            this.left = cap;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            // one byte past the cap is enough to know the body is too large
            int n = in.read(b, off, (int) Math.min(len, left + 1));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // skipped bytes count too: read them
            return n <= 0 ? 0 : Math.max(0, read(new byte[(int) Math.min(n, 8192)]));
        }

        private void count(int n) throws TooLarge {
            left -= n;
            if (left < 0) {
                throw new TooLarge();
            }
        }
    }
}
