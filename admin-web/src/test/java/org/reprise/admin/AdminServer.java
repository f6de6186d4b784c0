package org.reprise.admin;

import java.time.Clock;
import java.math.BigInteger;
import java.net.CookieManager;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ApplicationParameter;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;
import org.reprise.core.session.MemorySessionStore;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionPage;
import org.reprise.core.session.SessionQuery;
import org.reprise.core.session.SessionRecord;
import org.reprise.core.session.SessionStore;
import org.reprise.tomcat.Http11NioResumptionProtocol;
import org.reprise.tomcat.ResumptionSettings;

/**
 * An embedded Tomcat for the admin tests, serving {@code /reprise-admin} from src/main/webapp (so web.xml and
 * META-INF/context.xml are what is tested) on two connectors: a Reprise TLS connector named {@code reprise-test},
 * whose memory store the test can fill and make fail, and a plain HTTP connector next to it that redirects to
 * it. The user admin/secret is in role reprise-admin, viewer/secret is not. The certificate names localhost,
 * 127.0.0.1 and {@link #otherAddress()}, and {@link #client} trusts exactly it.
 */
final class AdminServer implements AutoCloseable {

    static final String CONNECTOR = "reprise-test";
    static final String PASSWORD = "changeit";

    final Tomcat tomcat;
    final Connector tls;
    final MemorySessionStore store;
    /** The store the connector uses: {@link #store}, until a test makes it fail. */
    final OutageStore outage;
    private final KeyStore keystore;
    private final SSLContext trust;

    private AdminServer(Tomcat tomcat, Connector tls, MemorySessionStore store, OutageStore outage,
            KeyStore keystore) throws Exception {
        this.tomcat = tomcat;
        this.tls = tls;
        this.store = store;
        this.outage = outage;
        this.keystore = keystore;
        this.trust = trustOnly(keystore);
    }

    static AdminServer start(Path baseDir) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(baseDir.resolve("tomcat")).toString());
        tomcat.setPort(0);
        Connector http = tomcat.getConnector();
        http.setThrowOnFailure(true);

        MemorySessionStore store = new MemorySessionStore(500_000, Clock.systemUTC());
        OutageStore outage = new OutageStore(store);
        ResumptionSettings settings = ResumptionSettings.builder().resumptionName(CONNECTOR).node("node-a")
                .sessionStore(outage).build();
        Connector tls = new Connector(new Http11NioResumptionProtocol(settings));
        tls.setPort(0);
        tls.setSecure(true);
        tls.setScheme("https");
        tls.setProperty("SSLEnabled", "true");
        tls.setThrowOnFailure(true);
        SSLHostConfig host = new SSLHostConfig();
        host.setHostName("localhost");
        SSLHostConfigCertificate cert = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.EC);
        Path keystore = keystore(baseDir);
        cert.setCertificateKeystoreFile(keystore.toString());
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
            // Where Tomcat sends a request that needs HTTPS, as redirectPort="8443" does in server.xml; the TLS
            // port is only known now, and the connector reads it on each request.
            http.setRedirectPort(tls.getLocalPort());
        } catch (Exception | Error e) {
            tomcat.stop();
            tomcat.destroy();
            throw e;
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return new AdminServer(tomcat, tls, store, outage, ks);
    }

    int httpPort() {
        return tomcat.getConnector().getLocalPort();
    }

    int tlsPort() {
        return tls.getLocalPort();
    }

    /** @return the admin page over HTTPS on 127.0.0.1 */
    String base() {
        return "https://127.0.0.1:" + tlsPort() + "/reprise-admin/";
    }

    /** @return the admin page over HTTPS on one of this machine's addresses */
    String base(InetAddress address) {
        return "https://" + uriHost(address) + ":" + tlsPort() + "/reprise-admin/";
    }

    /** @return the admin page over plain HTTP, on the connector next to the TLS one */
    String httpBase() {
        return "http://127.0.0.1:" + httpPort() + "/reprise-admin/";
    }

    /** @return a client for {@link #base()} as user (none if null) */
    Client client(@Nullable String user, @Nullable String password) {
        return client(base(), user, password);
    }

    /** @return a client for any base URL of this server, trusting its certificate */
    Client client(String base, @Nullable String user, @Nullable String password) {
        return new Client(base, trust, user, password);
    }

    /**
     * @return an address of this machine that is not a loopback one (IPv4 first), from which a connection to
     *         this server comes from somewhere other than localhost; none on a machine with only loopback
     */
    static Optional<InetAddress> otherAddress() {
        List<InetAddress> found = new ArrayList<>();
        try {
            for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
                if (nic.isUp() && !nic.isLoopback()) {
                    nic.inetAddresses().filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                            .forEach(found::add);
                }
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return found.stream().min(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1));
    }

    private static String uriHost(InetAddress address) {
        return address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
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
        List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        otherAddress().ifPresent(a -> names.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress())));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(new SecureRandom().nextInt() & 0x7fffffff),
                        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name,
                        keys.getPublic())
                        .addExtension(Extension.subjectAlternativeName, false,
                                new GeneralNames(names.toArray(GeneralName[]::new)))
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

    /** @return TLS that trusts this server's certificate and nothing else */
    SSLContext sslContext() {
        return trust;
    }

    /** @return the base64 SHA-256 of the certificate's public key, as Chromium's SPKI allow list takes it */
    String spkiSha256() throws Exception {
        byte[] spki = keystore.getCertificate("tomcat").getPublicKey().getEncoded();
        return Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(spki));
    }

    /** @return TLS that trusts the server's certificate and nothing else */
    private static SSLContext trustOnly(KeyStore keystore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", keystore.getCertificate("tomcat"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /**
     * The connector's session store: the memory store, or, while {@link #failing} is set, a store whose every
     * call throws it, as a database store does while its database is down.
     */
    static final class OutageStore implements SessionStore {
        private final SessionStore delegate;
        volatile @Nullable RuntimeException failing;

        OutageStore(SessionStore delegate) {
            this.delegate = delegate;
        }

        private SessionStore up() {
            RuntimeException e = failing;
            if (e != null) {
                throw e;
            }
            return delegate;
        }

        @Override
        public void store(SessionRecord record) {
            up().store(record);
        }

        @Override
        public @Nullable SessionRecord retrieve(SessionId id, Instant now) {
            return up().retrieve(id, now);
        }

        @Override
        public boolean remove(SessionId id) {
            return up().remove(id);
        }

        @Override
        public long removeAll(String realm) {
            return up().removeAll(realm);
        }

        @Override
        public SessionPage list(SessionQuery query, Instant now) {
            return up().list(query, now);
        }

        @Override
        public long sweepExpired(Instant now) {
            return up().sweepExpired(now);
        }
    }

    /** An HTTP client for the API with a cookie jar (the CSRF token lives in the HTTP session). */
    static final class Client {
        final HttpClient http;
        final String base;
        final @Nullable String authorization;
        String csrf = "";

        Client(String base, SSLContext trust, @Nullable String user, @Nullable String password) {
            this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).sslContext(trust)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            this.base = base;
            this.authorization = user == null ? null
                    : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                            .getBytes(StandardCharsets.UTF_8));
        }

        HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
            return sendBody(method, path, body == null ? null : HttpRequest.BodyPublishers.ofString(body), headers);
        }

        HttpResponse<String> sendBody(String method, String path, HttpRequest.@Nullable BodyPublisher body,
                String... headers) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
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

        /** @return the value of the cookie the server set under that name (the HTTP session's, JSESSIONID) */
        String cookie(String name) {
            return ((CookieManager) http.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                    .filter(c -> c.getName().equals(name)).findFirst().orElseThrow().getValue();
        }
    }
}
