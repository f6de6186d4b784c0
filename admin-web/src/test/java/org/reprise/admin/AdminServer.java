package org.reprise.admin;

import java.math.BigInteger;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ApplicationParameter;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.reprise.core.session.MemorySessionStore;
import org.reprise.tomcat.Http11NioResumptionProtocol;
import org.reprise.tomcat.ResumptionSettings;

/**
 * An embedded Tomcat for the admin tests: a Reprise TLS connector named {@code reprise-test} with a memory
 * store the test can fill, a plain HTTP connector serving {@code /reprise-admin} from src/main/webapp
 * (so web.xml is what is tested), the user admin/secret in role reprise-admin and viewer/secret without it.
 */
final class AdminServer implements AutoCloseable {

    static final String CONNECTOR = "reprise-test";
    static final String PASSWORD = "changeit";

    final Tomcat tomcat;
    final Connector tls;
    final MemorySessionStore store;

    private AdminServer(Tomcat tomcat, Connector tls, MemorySessionStore store) {
        this.tomcat = tomcat;
        this.tls = tls;
        this.store = store;
    }

    static AdminServer start(Path baseDir) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(baseDir.resolve("tomcat")).toString());
        tomcat.setPort(0);
        Connector http = tomcat.getConnector();
        http.setThrowOnFailure(true);

        MemorySessionStore store = new MemorySessionStore(500_000);
        ResumptionSettings settings = ResumptionSettings.builder().name(CONNECTOR).node("node-a")
                .sessionStore(store).build();
        Connector tls = new Connector(new Http11NioResumptionProtocol(settings));
        tls.setPort(0);
        tls.setSecure(true);
        tls.setScheme("https");
        tls.setProperty("SSLEnabled", "true");
        tls.setThrowOnFailure(true);
        SSLHostConfig host = new SSLHostConfig();
        host.setHostName("localhost");
        SSLHostConfigCertificate cert = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.EC);
        cert.setCertificateKeystoreFile(keystore(baseDir).toString());
        cert.setCertificateKeystorePassword(PASSWORD);
        cert.setCertificateKeystoreType("PKCS12");
        host.addCertificate(cert);
        tls.addSslHostConfig(host);
        tls.setProperty("defaultSSLHostConfigName", "localhost");
        tomcat.getService().addConnector(tls);

        tomcat.addUser("admin", "secret");
        tomcat.addRole("admin", "reprise-admin");
        tomcat.addUser("viewer", "secret");
        tomcat.addRole("viewer", "viewer");

        Context ctx = tomcat.addWebapp("/reprise-admin", Path.of("src/main/webapp").toAbsolutePath().toString());
        ((StandardJarScanner) ctx.getJarScanner()).setScanClassPath(false);
        ApplicationParameter sampling = new ApplicationParameter();
        sampling.setName("reprise.sampleSeconds");
        sampling.setValue("1");
        sampling.setOverride(false);
        ctx.addApplicationParameter(sampling);
        try {
            tomcat.start();
            if (tls.getState() != LifecycleState.STARTED || http.getState() != LifecycleState.STARTED
                    || ctx.getState() != LifecycleState.STARTED) {
                throw new IllegalStateException("Tomcat failed to start");
            }
        } catch (Exception | Error e) {
            tomcat.stop();
            tomcat.destroy();
            throw e;
        }
        return new AdminServer(tomcat, tls, store);
    }

    int httpPort() {
        return tomcat.getConnector().getLocalPort();
    }

    int tlsPort() {
        return tls.getLocalPort();
    }

    String base() {
        return "http://127.0.0.1:" + httpPort() + "/reprise-admin/";
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    private static Path keystore(Path dir) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=localhost");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(new SecureRandom().nextInt() & 0x7fffffff),
                        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name,
                        keys.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("tomcat", keys.getPrivate(), PASSWORD.toCharArray(), new X509Certificate[] {certificate});
        Path file = dir.resolve("server.p12");
        try (var out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    /** An HTTP client for the API with a cookie jar (the CSRF token lives in the HTTP session). */
    static final class Client {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(10)).build();
        final String base;
        final String authorization;
        String csrf = "";

        Client(String base, String user, String password) {
            this.base = base;
            this.authorization = user == null ? null
                    : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                            .getBytes(StandardCharsets.UTF_8));
        }

        HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> get(String path) throws Exception {
            return send("GET", path, null);
        }

        /** Fetches the CSRF token with a GET, as the pages do. */
        Client fetchToken() throws Exception {
            HttpResponse<String> r = send("GET", "api/connectors", null, "X-CSRF-Token", "Fetch");
            csrf = r.headers().firstValue("X-CSRF-Token").orElseThrow();
            return this;
        }

        HttpResponse<String> post(String path, String body) throws Exception {
            return send("POST", path, body == null ? "" : body, "X-CSRF-Token", csrf);
        }

        HttpResponse<String> delete(String path) throws Exception {
            return send("DELETE", path, null, "X-CSRF-Token", csrf);
        }
    }
}
