package org.reprise.demo;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The demo's command-line options. Adding one takes a field, an accessor and one {@code .option(...)}
 * line in {@link #PARSER}.
 */
public final class DemoOptions {

    private static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    /** Fixed rather than Tomcat's connector name, which holds the port: demos on other ports are one cluster. */
    private static final String DEFAULT_CLUSTER = "reprise-demo";

    private static final OptionParser<DemoOptions> PARSER = new OptionParser<>("bin/demo",
            "Serves https://localhost:PORT/ from an embedded Tomcat whose TLS runs through Reprise.\n"
                    + "The page shows this connection's protocol, cipher suite, session ID, whether it resumed,\n"
                    + "and the connector's resumption counters (JSON with 'Accept: application/json').",
            DemoOptions::new)
            .option("--port", "N", "8443", "HTTPS port; 0 picks a free one", (o, v) -> o.port = port(v))
            .option("--data-dir", "DIR", "./data", "keeps the certificate and Tomcat's work files",
                    (o, v) -> o.dataDir = path(v))
            .option("--protocols", "LIST", "TLSv1.2+TLSv1.3", "TLS versions offered; on the bc engine, TLSv1.2"
                    + " alone lets browsers resume", (o, v) -> o.protocols = protocols(v))
            .option("--jdbc-url", "URL", null, "session database; a PostgreSQL URL shared by several demos makes a"
                    + " cluster (default: H2 in DATA_DIR/sessions)", (o, v) -> o.jdbcUrl = nonBlank(v))
            .option("--jdbc-user", "USER", null, "database user (default: sa for H2, postgres otherwise)",
                    (o, v) -> o.jdbcUser = nonBlank(v))
            .option("--jdbc-password", "PASSWORD", null, "database password (default: none)",
                    (o, v) -> o.jdbcPassword = v)
            .option("--admin-password", "PASSWORD", null, "password of the user admin on /reprise-admin/ (default:"
                    + " a random one, printed at startup)", (o, v) -> o.adminPassword = nonBlank(v))
            .option("--node", "NAME", null, "this server's name in a cluster, shown on each session (default: the"
                    + " host's name)", (o, v) -> o.node = nonBlank(v))
            .option("--engine", "NAME", null, "TLS engine: openssl (resumes TLS 1.3 and 1.2; Java 22+ and libssl) or"
                    + " bc (Bouncy Castle, pure Java; only TLS 1.2 resumes) (default: openssl where it can run, else"
                    + " bc)", (o, v) -> o.engine = engine(v))
            .option("--cluster", "NAME", DEFAULT_CLUSTER, "the connector's resumptionName, the realm its sessions"
                    + " belong to: demos on one database resume each other's sessions only under the same name",
                    (o, v) -> o.cluster = nonBlank(v));

    private int port;
    private Path dataDir = Path.of("data");
    private String protocols = "";
    private @Nullable String jdbcUrl;
    private @Nullable String jdbcUser;
    private String jdbcPassword = "";
    private @Nullable String node;
    private @Nullable String adminPassword;
    private String cluster = DEFAULT_CLUSTER;
    private @Nullable String engine;

    private DemoOptions() {
    }

    /**
     * @param args the command line
     * @return the options
     * @throws OptionParser.UsageException on {@code --help}, an unknown option or a bad value
     */
    public static DemoOptions parse(String... args) throws OptionParser.UsageException {
        return PARSER.parse(args);
    }

    /** @return the usage text */
    public static String usage() {
        return PARSER.usage();
    }

    /** @return the HTTPS port; 0 for any free port */
    public int port() {
        return port;
    }

    /** @return where the certificate and Tomcat's files live */
    public Path dataDir() {
        return dataDir;
    }

    /** @return the TLS versions for the SSLHostConfig, in Tomcat's syntax ({@code TLSv1.2+TLSv1.3}) */
    public String protocols() {
        return protocols;
    }

    /** @return the session database's JDBC URL: the one given, or an H2 file in the data directory */
    public String jdbcUrl() {
        return jdbcUrl != null ? jdbcUrl : "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("sessions");
    }

    /** @return the database user */
    public String jdbcUser() {
        if (jdbcUser != null) {
            return jdbcUser;
        }
        return jdbcUrl().startsWith("jdbc:h2:") ? "sa" : "postgres";
    }

    /** @return the database password; empty for none */
    public String jdbcPassword() {
        return jdbcPassword;
    }

    /** @return the admin page's password, or null to make a random one */
    public @Nullable String adminPassword() {
        return adminPassword;
    }

    /** @return the connector's resumptionName, shared by every demo of one cluster */
    public String cluster() {
        return cluster;
    }

    /** @return the engine {@code --engine} names ({@code openssl} or {@code bc}), or null to let the demo choose */
    public @Nullable String engine() {
        return engine;
    }

    /** @return this server's node name: the one given, or the host's name */
    public String node() {
        if (node != null) {
            return node;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    private static String nonBlank(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("expected a value");
        }
        return value;
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("expected a port number from 0 to 65535");
    }

    private static Path path(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("expected a directory");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a path: " + e.getReason());
        }
    }

    private static String engine(String value) {
        String name = value.strip();
        if (!name.equals(DemoEngine.OPENSSL) && !name.equals(DemoEngine.BOUNCY_CASTLE)) {
            throw new IllegalArgumentException("expected openssl or bc");
        }
        return name;
    }

    private static String protocols(String value) {
        String[] names = value.split("[+,]");
        for (String name : names) {
            if (!PROTOCOLS.contains(name.strip())) {
                throw new IllegalArgumentException("expected TLSv1.2, TLSv1.3 or TLSv1.2+TLSv1.3");
            }
        }
        return String.join("+", Arrays.stream(names).map(String::strip).toList());
    }
}
