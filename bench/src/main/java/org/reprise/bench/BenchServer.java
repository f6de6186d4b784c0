package org.reprise.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.jspecify.annotations.Nullable;
import org.reprise.tomcat.Http11NioResumptionProtocol;
import org.reprise.tomcat.ResumptionSettings;

/**
 * One server under test: an embedded Tomcat 11 with one HTTPS connector, either Reprise's
 * ({@code --variant reprise}, {@link Http11NioResumptionProtocol}) or stock Tomcat's
 * ({@code --variant jsse}: {@code Http11NioProtocol} with Tomcat's default JSSEImplementation). Both serve
 * {@code /} (a few bytes) and {@code /bytes?n=N} (N bytes), from the same PEM certificate.
 *
 * <p>Prints {@code READY <port>} once it listens, then runs until it is stopped (SIGTERM), when it stops
 * Tomcat and closes the store, dropping a JDBC store's tables.
 *
 * <pre>
 * BenchServer --variant reprise|jsse --cert FILE --key FILE --type EC|RSA [--port N]
 *             [--store memory|h2|postgres --sessions N --table-prefix P --data-dir DIR]
 *             [--attr NAME=VALUE]...
 * </pre>
 *
 * {@code --attr} sets a connector attribute as server.xml would ({@code --attr resumptionEngine=openssl}).
 * {@code --store} and {@code --sessions} (Reprise only) pre-fill the connector's session store.
 */
public final class BenchServer {

    private static final int MAX_BYTES_CHUNK = 1 << 16;

    private BenchServer() {
    }

    /** @param args see the class comment */
    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Path base = Files.createTempDirectory("reprise-bench-tomcat");
        BenchStores stores = null;
        ResumptionSettings.Builder settings = ResumptionSettings.builder().resumptionName("bench");
        if (o.store != null) {
            // a connector's default lookup budget and node cache (retrieveBudget 50 ms, 10,000 sessions)
            stores = BenchStores.open(o.store, Math.max(o.sessions * 2L, 20_480), 10_000, o.tablePrefix,
                    o.dataDir, Duration.ofMillis(50));
            long start = System.nanoTime();
            stores.fill(o.sessions);
            System.err.printf("bench: %,d sessions stored in %s in %.1f s%n", o.sessions, o.store,
                    (System.nanoTime() - start) / 1e9);
            settings.sessionStore(stores.sessions()).ticketKeyStore(stores.ticketKeys());
        }

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = o.variant.equals("jsse") ? new Connector(new Http11NioProtocol())
                : new Connector(new Http11NioResumptionProtocol(settings.build()));
        connector.setPort(o.port);
        connector.setSecure(true);
        connector.setScheme("https");
        connector.setThrowOnFailure(true);
        connector.setProperty("SSLEnabled", "true");
        // throughput runs send many requests on one connection
        connector.setProperty("maxKeepAliveRequests", "-1");
        for (String attr : o.attrs) {
            int eq = attr.indexOf('=');
            if (eq <= 0 || !connector.setProperty(attr.substring(0, eq), attr.substring(eq + 1))) {
                throw new IllegalArgumentException("the connector does not take the attribute " + attr);
            }
        }
        SSLHostConfig host = new SSLHostConfig();
        host.setProtocols("TLSv1.2+TLSv1.3");
        SSLHostConfigCertificate cert = new SSLHostConfigCertificate(host,
                SSLHostConfigCertificate.Type.valueOf(o.type));
        cert.setCertificateFile(Path.of(o.cert).toAbsolutePath().toString());
        cert.setCertificateKeyFile(Path.of(o.key).toAbsolutePath().toString());
        host.addCertificate(cert);
        connector.addSslHostConfig(host);
        tomcat.setConnector(connector);

        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "bench", new BenchServlet());
        context.addServletMappingDecoded("/", "bench");
        BenchStores opened = stores;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(tomcat, opened), "bench-shutdown"));
        tomcat.start();
        System.out.println("READY " + connector.getLocalPort());
        System.out.flush();
        tomcat.getServer().await();
    }

    private static void stop(Tomcat tomcat, @Nullable BenchStores stores) {
        try {
            tomcat.stop();
            tomcat.destroy();
            if (stores != null) {
                stores.close();
            }
        } catch (Exception e) {
            System.err.println("bench: stopping: " + e);
        }
    }

    /** {@code /bytes?n=N} answers N bytes; anything else a short text. */
    private static final class BenchServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final byte[] CHUNK = new byte[MAX_BYTES_CHUNK];

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String n = req.getParameter("n");
            if (n == null) {
                resp.setContentType("text/plain");
                resp.getWriter().write("ok\n");
                return;
            }
            long remaining = Long.parseLong(n);
            resp.setContentType("application/octet-stream");
            resp.setContentLengthLong(remaining);
            OutputStream out = resp.getOutputStream();
            while (remaining > 0) {
                int len = (int) Math.min(remaining, CHUNK.length);
                out.write(CHUNK, 0, len);
                remaining -= len;
            }
        }
    }

    /** The command line, checked once. */
    private static final class Options {
        String variant = "reprise";
        String cert = "";
        String key = "";
        String type = "EC";
        int port;
        @Nullable String store;
        int sessions;
        String tablePrefix = "rbench_";
        String dataDir = System.getProperty("java.io.tmpdir");
        final List<String> attrs = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> list = Arrays.asList(args);
            for (int i = 0; i < list.size(); i += 2) {
                String name = list.get(i);
                if (i + 1 >= list.size()) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = list.get(i + 1);
                switch (name) {
                    case "--variant" -> o.variant = value;
                    case "--cert" -> o.cert = value;
                    case "--key" -> o.key = value;
                    case "--type" -> o.type = value;
                    case "--port" -> o.port = Integer.parseInt(value);
                    case "--store" -> o.store = value;
                    case "--sessions" -> o.sessions = Integer.parseInt(value);
                    case "--table-prefix" -> o.tablePrefix = value;
                    case "--data-dir" -> o.dataDir = value;
                    case "--attr" -> o.attrs.add(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (!o.variant.equals("reprise") && !o.variant.equals("jsse")) {
                throw new IllegalArgumentException("--variant must be reprise or jsse, not " + o.variant);
            }
            if (o.cert.isEmpty() || o.key.isEmpty()) {
                throw new IllegalArgumentException("--cert and --key are required");
            }
            if (o.store != null && o.variant.equals("jsse")) {
                throw new IllegalArgumentException("--store applies to --variant reprise only");
            }
            return o;
        }
    }
}
