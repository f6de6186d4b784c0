package org.reprise.tomcat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLSessionManager;
import org.reprise.core.metrics.MetricsSnapshot;

/**
 * An embedded Tomcat with Reprise on an ephemeral port, serving a servlet that reports the connection's
 * TLS attributes, echoes bodies, and sends bodies of any size.
 */
final class TestServer implements AutoCloseable {

    private final Tomcat tomcat;
    private final List<Connector> connectors;

    private TestServer(Tomcat tomcat, List<Connector> connectors) {
        this.tomcat = tomcat;
        this.connectors = connectors;
    }

    /** One connector: what protocol class, Reprise settings, and SSLHostConfigs. */
    static final class ConnectorSpec {
        boolean nio2;
        boolean byClassName;
        ResumptionSettings settings = ResumptionSettings.defaults();
        final List<SSLHostConfig> hosts = new ArrayList<>();
        final List<String[]> properties = new ArrayList<>();

        /** Tomcat's stock NIO2 protocol naming Reprise's SSL implementation: default settings only. */
        ConnectorSpec nio2() {
            nio2 = true;
            return this;
        }

        /**
         * Reprise's protocol made by class name, as server.xml and Spring Boot make it, and given the settings
         * with {@link Http11NioResumptionProtocol#configure}.
         */
        ConnectorSpec byClassName() {
            byClassName = true;
            return this;
        }

        ConnectorSpec settings(ResumptionSettings s) {
            settings = s;
            return this;
        }

        ConnectorSpec property(String name, String value) {
            properties.add(new String[] {name, value});
            return this;
        }

        /** Adds an SSLHostConfig for {@code hostName} with a fresh certificate, in PKCS12 unless {@code pem}. */
        ConnectorSpec host(TestPki pki, Path dir, String hostName, boolean rsa, boolean pem,
                Consumer<SSLHostConfig> customise) throws Exception {
            SSLHostConfig host = new SSLHostConfig();
            host.setHostName(hostName);
            SSLHostConfigCertificate cert = new SSLHostConfigCertificate(host,
                    rsa ? SSLHostConfigCertificate.Type.RSA : SSLHostConfigCertificate.Type.EC);
            TestPki.Issued issued = pki.server(hostName, rsa);
            String file = hostName.replace('*', '_') + (rsa ? "-rsa" : "-ec");
            if (pem) {
                Path crt = pki.pem(dir, file, issued);
                cert.setCertificateFile(crt.toString());
                cert.setCertificateKeyFile(dir.resolve(file + ".key").toString());
                cert.setCertificateChainFile(pki.caPem(dir).toString());
            } else {
                cert.setCertificateKeystoreFile(pki.pkcs12(dir, file, issued).toString());
                cert.setCertificateKeystorePassword(TestPki.PASSWORD);
                cert.setCertificateKeystoreType("PKCS12");
            }
            host.addCertificate(cert);
            customise.accept(host);
            hosts.add(host);
            return this;
        }
    }

    static TestServer start(Path baseDir, ConnectorSpec... specs) throws Exception {
        return start(baseDir, tomcat -> { }, specs);
    }

    /** @param beforeStart prepares the Tomcat (naming, global resources) before it starts */
    static TestServer start(Path baseDir, Consumer<Tomcat> beforeStart, ConnectorSpec... specs) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(baseDir.resolve("tomcat")).toString());
        List<Connector> connectors = new ArrayList<>();
        for (ConnectorSpec spec : specs) {
            Connector connector;
            if (spec.byClassName) {
                connector = new Connector(Http11NioResumptionProtocol.class.getName());
                ((Http11NioResumptionProtocol) connector.getProtocolHandler()).configure(spec.settings);
            } else {
                connector = new Connector(spec.nio2 ? new StockNio2Protocol()
                        : new Http11NioResumptionProtocol(spec.settings));
            }
            connector.setPort(0);
            connector.setSecure(true);
            connector.setScheme("https");
            connector.setProperty("SSLEnabled", "true");
            connector.setProperty("defaultSSLHostConfigName", spec.hosts.get(0).getHostName());
            connector.setThrowOnFailure(true);
            for (String[] p : spec.properties) {
                connector.setProperty(p[0], p[1]);
            }
            connector.addUpgradeProtocol(new Http2Protocol());
            spec.hosts.forEach(connector::addSslHostConfig);
            tomcat.getService().addConnector(connector);
            connectors.add(connector);
        }
        tomcat.setConnector(connectors.get(0));
        Context context = tomcat.addContext("", baseDir.toString());
        Tomcat.addServlet(context, "probe", new ProbeServlet());
        context.addServletMappingDecoded("/*", "probe");
        beforeStart.accept(tomcat);
        try {
            tomcat.start();
            for (Connector c : connectors) {
                if (c.getState() != LifecycleState.STARTED) {
                    throw new IllegalStateException("connector failed to start");
                }
            }
        } catch (Exception | Error e) {
            tomcat.stop();
            tomcat.destroy();
            throw e;
        }
        return new TestServer(tomcat, connectors);
    }

    int port() {
        return port(0);
    }

    int port(int connector) {
        return connectors.get(connector).getLocalPort();
    }

    Connector connector(int connector) {
        return connectors.get(connector);
    }

    ResumptionSslImplementation resumption(int connector) {
        Object handler = connectors.get(connector).getProtocolHandler();
        if (handler instanceof Http11NioResumptionProtocol nio) {
            return nio.resumption();
        }
        return ((StockNio2Protocol) handler).resumption();
    }

    /**
     * Tomcat's own NIO2 protocol with {@code sslImplementationName} set to Reprise's, as a server.xml without
     * Reprise's protocol class writes it; the subclass only lets the test read the connector's counters.
     */
    static final class StockNio2Protocol extends org.apache.coyote.http11.Http11Nio2Protocol {
        StockNio2Protocol() {
            setSslImplementationName(ResumptionSslImplementation.class.getName());
        }

        ResumptionSslImplementation resumption() {
            return (ResumptionSslImplementation) getEndpoint().getSslImplementation();
        }
    }

    MetricsSnapshot metrics() {
        return metrics(0);
    }

    MetricsSnapshot metrics(int connector) {
        return resumption(connector).metrics().snapshot();
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    /**
     * GET /info: TLS attributes; POST /digest: SHA-256 of the body; GET /bytes?n=N: N bytes of a known pattern;
     * GET /invalidate: invalidates the connection's TLS session, as a web application may on logout, through
     * Tomcat's {@code SSLSessionManager}, and reports the session ID it had.
     */
    static final class ProbeServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            if (req.getRequestURI().startsWith("/invalidate")) {
                Object id = req.getAttribute("jakarta.servlet.request.ssl_session_id");
                ((SSLSessionManager) req.getAttribute("jakarta.servlet.request.ssl_session_mgr")).invalidateSession();
                resp.setContentType("text/plain");
                resp.getWriter().printf("invalidated=%s%n", id);
                return;
            }
            if (req.getRequestURI().startsWith("/bytes")) {
                long n = Long.parseLong(req.getParameter("n"));
                resp.setContentType("application/octet-stream");
                resp.setContentLengthLong(n);
                byte[] chunk = new byte[8192];
                try (OutputStream out = resp.getOutputStream()) {
                    for (long sent = 0; sent < n; ) {
                        int len = (int) Math.min(chunk.length, n - sent);
                        for (int i = 0; i < len; i++) {
                            chunk[i] = pattern(sent + i);
                        }
                        out.write(chunk, 0, len);
                        sent += len;
                    }
                }
                return;
            }
            Object support = req.getAttribute("jakarta.servlet.request.ssl_session_mgr");
            X509Certificate[] certs = (X509Certificate[]) req.getAttribute("jakarta.servlet.request.X509Certificate");
            resp.setContentType("text/plain");
            resp.getWriter().printf("protocol=%s%ncipher=%s%nsession=%s%nkeySize=%s%nresumed=%s%nclient=%s%nhttp=%s%n",
                    req.getAttribute("jakarta.servlet.request.secure_protocol"),
                    req.getAttribute("jakarta.servlet.request.cipher_suite"),
                    req.getAttribute("jakarta.servlet.request.ssl_session_id"),
                    req.getAttribute("jakarta.servlet.request.key_size"),
                    support instanceof ResumptionSslSupport s && s.isSessionResumed(),
                    certs == null ? "none" : certs[0].getSubjectX500Principal().getName(),
                    req.getProtocol());
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            long length = 0;
            byte[] buffer = new byte[65536];
            try (InputStream in = req.getInputStream()) {
                for (int n; (n = in.read(buffer)) > 0; length += n) {
                    digest.update(buffer, 0, n);
                }
            }
            resp.setContentType("text/plain");
            resp.getWriter().printf("length=%d%nsha256=%s%n", length, HexFormat.of().formatHex(digest.digest()));
        }

        static byte pattern(long i) {
            return (byte) (i * 31 + (i >>> 8));
        }
    }
}
