package org.reprise.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.reprise.store.jdbc.DataKeys;
import org.reprise.tomcat.Http11NioResumptionProtocol;
import org.reprise.tomcat.ResumptionSettings;
import org.reprise.tomcat.ResumptionSslImplementation;

/**
 * The Reprise demo: an embedded Tomcat with one HTTPS connector ({@link Http11NioResumptionProtocol},
 * HTTP/1.1 and HTTP/2) and the status page at {@code /}.
 *
 * <p>{@link #main} is what {@code bin/demo} runs. Tests and other code call {@link #start(DemoOptions)} and
 * {@link #close()}.
 */
public final class DemoServer implements AutoCloseable {

    private final Tomcat tomcat;
    private final Http11NioResumptionProtocol protocol;
    private final Connector connector;
    private final DemoCertificate certificate;
    private final DemoEngine engine;
    private final Path dataDir;
    private final String adminPassword;
    private final boolean adminPasswordGenerated;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** The admin page's user. */
    public static final String ADMIN_USER = "admin";

    private DemoServer(Tomcat tomcat, Http11NioResumptionProtocol protocol, Connector connector,
            DemoCertificate certificate, DemoEngine engine, Path dataDir, String adminPassword,
            boolean adminPasswordGenerated) {
        this.tomcat = tomcat;
        this.protocol = protocol;
        this.connector = connector;
        this.certificate = certificate;
        this.engine = engine;
        this.dataDir = dataDir;
        this.adminPassword = adminPassword;
        this.adminPasswordGenerated = adminPasswordGenerated;
    }

    /**
     * Deploys the admin page from the WAR the build put next to the demo's classes, for the user
     * {@code admin} in the role {@code reprise-admin}, as an administrator would in tomcat-users.xml.
     */
    private static void mountAdminPage(Tomcat tomcat, String password) throws IOException {
        java.net.URL war = DemoServer.class.getResource("/reprise-admin.war");
        if (war == null) {
            throw new IOException("reprise-admin.war is not next to the demo's classes; rebuild with mvn install");
        }
        Path warFile;
        try {
            warFile = Path.of(war.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException("cannot locate " + war, e);
        }
        tomcat.addUser(ADMIN_USER, password);
        tomcat.addRole(ADMIN_USER, "reprise-admin");
        // Tomcat's embedded defaults would add a JSP servlet the demo does not ship; the page needs only
        // static files, served as the default servlet does in a standalone Tomcat.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context admin = tomcat.addWebapp("/reprise-admin", warFile.toString());
        Tomcat.addDefaultMimeTypeMappings(admin);
        Wrapper files = Tomcat.addServlet(admin, "default", "org.apache.catalina.servlets.DefaultServlet");
        files.addInitParameter("listings", "false");
        admin.addServletMappingDecoded("/", "default");
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Runs the demo until the process is stopped (Ctrl-C or SIGTERM).
     *
     * @param args see {@link DemoOptions#usage()}
     */
    public static void main(String[] args) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (OptionParser.UsageException e) {
            if (e.isHelp()) {
                System.out.print(DemoOptions.usage());
            } else {
                System.err.println("bin/demo: " + e.getMessage());
                System.err.println();
                System.err.print(DemoOptions.usage());
            }
            System.exit(e.exitStatus());
            return;
        }
        DemoServer server;
        try {
            server = start(options);
        } catch (Exception e) {
            System.err.println("bin/demo: could not start: " + describe(e));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.out.println("Reprise demo stopped.");
        }, "reprise-demo-shutdown"));
        server.printBanner(System.out);
        server.await();
    }

    /**
     * Starts the demo: makes or loads the certificate in the data directory, then starts Tomcat.
     *
     * @param options what to serve and where to keep files
     * @return the running demo
     * @throws IOException        if the data directory or certificate cannot be used
     * @throws LifecycleException if Tomcat does not start (the port is taken, for example)
     */
    public static DemoServer start(DemoOptions options) throws IOException, LifecycleException {
        Path dataDir = options.dataDir().toAbsolutePath().normalize();
        Files.createDirectories(dataDir);
        DemoCertificate certificate = DemoCertificate.loadOrCreate(dataDir);
        Path baseDir = dataDir.resolve("tomcat");
        Files.createDirectories(baseDir.resolve("webapps"));

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());

        DemoEngine engine = DemoEngine.choose(options.engine());
        ResumptionSettings settings = ResumptionSettings.builder().engine(engine.name()).build();
        Http11NioResumptionProtocol protocol = new Http11NioResumptionProtocol(settings);
        Connector connector = new Connector(protocol);
        connector.setPort(options.port());
        connector.setSecure(true);
        connector.setScheme("https");
        connector.setThrowOnFailure(true);
        protocol.setSSLEnabled(true);
        // The same attributes an administrator writes in server.xml: sessions and ticket keys in a database.
        connector.setProperty("store", "jdbc");
        connector.setProperty("jdbcUrl", options.jdbcUrl());
        connector.setProperty("jdbcUser", options.jdbcUser());
        connector.setProperty("jdbcPassword", options.jdbcPassword());
        connector.setProperty("dataKeyFile", dataKey(dataDir).toString());
        connector.setProperty("node", options.node());
        // The realm of the sessions: Tomcat's own connector name holds the port, which differs between demos
        connector.setProperty("resumptionName", options.cluster());
        connector.addUpgradeProtocol(new Http2Protocol());

        SSLHostConfig host = new SSLHostConfig();
        host.setProtocols(options.protocols());
        SSLHostConfigCertificate hostCertificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.EC);
        hostCertificate.setCertificateKeystoreFile(certificate.keystore().toString());
        hostCertificate.setCertificateKeystoreType("PKCS12");
        hostCertificate.setCertificateKeystorePassword(certificate.password());
        hostCertificate.setCertificateKeyAlias(DemoCertificate.ALIAS);
        host.addCertificate(hostCertificate);
        connector.addSslHostConfig(host);
        tomcat.setConnector(connector);

        Context context = tomcat.addContext("", null);
        if (context instanceof StandardContext standard) {
            // the page loads no classes of its own, so the leak checks on stop have nothing to find
            standard.setClearReferencesRmiTargets(false);
            standard.setClearReferencesThreadLocals(false);
        }
        Tomcat.addServlet(context, "status",
                new StatusServlet(protocol::resumption, engine, certificate.sha256Fingerprint()));
        context.addServletMappingDecoded("", "status");

        String adminPassword = options.adminPassword() != null ? options.adminPassword() : randomPassword();
        mountAdminPage(tomcat, adminPassword);

        DemoServer server = new DemoServer(tomcat, protocol, connector, certificate, engine, dataDir, adminPassword,
                options.adminPassword() == null);
        try {
            tomcat.start();
            if (connector.getState() != LifecycleState.STARTED || connector.getLocalPort() <= 0) {
                throw new LifecycleException("the HTTPS connector on port " + options.port()
                        + " did not start (state " + connector.getState() + "); see the log above");
            }
        } catch (LifecycleException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * The key that encrypts the session database's secrets: made once in the data directory (mode 600),
     * then reused. A real installation keeps it with its other secrets and names it in {@code dataKeyFile}.
     */
    private static Path dataKey(Path dataDir) throws IOException {
        Path file = dataDir.resolve("reprise-data.key");
        if (!Files.exists(file)) {
            DataKeys.generate(file);
        }
        return file;
    }

    /** @return the admin page's password for the user {@link #ADMIN_USER} */
    public String adminPassword() {
        return adminPassword;
    }

    /** @return the port the connector listens on */
    public int port() {
        return connector.getLocalPort();
    }

    /** @return the page's address */
    public String url() {
        return "https://localhost:" + port() + "/";
    }

    /** @return the data directory, absolute */
    public Path dataDir() {
        return dataDir;
    }

    /** @return the server certificate and where it is kept */
    public DemoCertificate certificate() {
        return certificate;
    }

    /** @return the connector's engine, and why the demo passed over the OpenSSL engine if it did */
    DemoEngine engine() {
        return engine;
    }

    /** @return the connector's Reprise implementation: counters, store, key ring */
    public ResumptionSslImplementation resumption() {
        return protocol.resumption();
    }

    /** Blocks until the server stops. */
    public void await() {
        tomcat.getServer().await();
    }

    /** Stops and destroys Tomcat; safe to call more than once, from any thread. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            tomcat.stop();
        } catch (LifecycleException e) {
            System.err.println("Reprise demo: Tomcat did not stop cleanly: " + e.getMessage());
        }
        try {
            tomcat.destroy();
        } catch (LifecycleException e) {
            System.err.println("Reprise demo: Tomcat was not destroyed cleanly: " + e.getMessage());
        }
    }

    /** @return the messages of a throwable and its causes, without repeats: what went wrong, then why */
    static String describe(Throwable error) {
        StringBuilder sb = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (sb.indexOf(message) < 0) {
                sb.append(sb.length() == 0 ? "" : ": ").append(message);
            }
        }
        return sb.toString();
    }

    void printBanner(PrintStream out) {
        out.println();
        out.println("Reprise demo: " + url());
        out.println("  data dir:     " + dataDir);
        out.println("  certificate:  " + certificate.keystore() + (certificate.created() ? " (new)" : "")
                + ", CN=localhost, valid until " + certificate.notAfter());
        out.println("  SHA-256:      " + certificate.sha256Fingerprint());
        if (certificate.passwordFileIsExposed()) {
            out.println("  warning:      " + certificate.passwordFile() + " is readable by other users; chmod 600 it");
        }
        out.println("  engine:       " + engineNote());
        out.println("  TLS:          " + protocolsNote());
        out.println("  sessions:     " + sessionsNote());
        out.println("  JMX:          " + resumption().metricsName());
        out.println("  JSON:         curl -sk -H 'Accept: application/json' " + url());
        out.println("  admin page:   " + url() + "reprise-admin/  (user " + ADMIN_USER
                + (adminPasswordGenerated ? ", password " + adminPassword + ")" : ", password from --admin-password)"));
        out.println("Stop with Ctrl-C.");
        out.flush();
    }

    private String sessionsNote() {
        String url = connector.getProperty("jdbcUrl") instanceof String s ? s : "?";
        return (url.startsWith("jdbc:h2:") ? "H2 " : "") + url.replaceAll("[?;].*", "") + ", node "
                + connector.getProperty("node");
    }

    /** @return which engine runs, and the one line that says why when the demo passed over the OpenSSL engine */
    String engineNote() {
        String note = engine.name() + ", the " + engine.title();
        return engine.whyNotOpenSsl() == null ? note
                : note + ", because the OpenSSL engine cannot run here: " + engine.whyNotOpenSsl();
    }

    private String protocolsNote() {
        String[] enabled = connector.findSslHostConfigs()[0].getEnabledProtocols();
        String list = enabled == null ? "?" : String.join(", ", enabled);
        return list + (list.contains("TLSv1.3") && !engine.resumesTls13()
                ? " (TLS 1.3 handshakes are always full on the Bouncy Castle engine; TLS 1.2 resumes)"
                : "");
    }
}
