/*
 * FfmTomcatServer: stock embedded Tomcat 11 with Tomcat's own FFM OpenSSL binding (no Reprise), serving one
 * small page over TLS, to count the JVM-wide pauses of its OpenSSLEngine per connection (see BENCHMARKS.md,
 * "Tomcat's FFM engine: which operation pauses the JVM, and how often per connection"). It serves for <seconds>
 * and exits, printing how many requests (one per connection with `openssl s_time -www /`) it answered.
 *
 * tomcat-coyote-ffm.jar is in the Tomcat distribution's lib/ (for instance from the tarball Maven keeps after a
 * build: tar xzf ~/.m2/repository/org/apache/tomcat/tomcat/11.0.25/tomcat-11.0.25.tar.gz --wildcards '*ffm.jar').
 *
 *   java -cp tomcat-embed-core-11.0.29.jar:tomcat-coyote-ffm.jar --enable-native-access=ALL-UNNAMED \
 *     bench/src/ffm/FfmTomcatServer.java <port> <cert.pem> <key.pem> <maxThreads|virtual> <seconds> [name=value...]
 *
 * Extra name=value pairs are connector attributes as in server.xml; protocol=<class> replaces the protocol, so
 * with Reprise's jars on the class path "protocol=org.reprise.tomcat.Http11NioResumptionProtocol
 * resumptionEngine=openssl" runs Reprise's OpenSSL engine instead (built on Tomcat's OpenSSLEngine when these
 * counts were taken; Reprise's own engine since).
 */

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.OpenSSLLifecycleListener;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

public final class FfmTomcatServer {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String threads = args[3];
        long seconds = Long.parseLong(args[4]);

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("ffm-tomcat").toString());
        tomcat.getServer().addLifecycleListener(new OpenSSLLifecycleListener());
        String protocol = "org.apache.coyote.http11.Http11NioProtocol";
        for (int i = 5; i < args.length; i++) {
            if (args[i].startsWith("protocol=")) {
                protocol = args[i].substring("protocol=".length());
            }
        }
        Connector connector = new Connector(protocol);
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("SSLEnabled", "true");
        if (protocol.equals("org.apache.coyote.http11.Http11NioProtocol")) {
            connector.setProperty("sslImplementationName",
                    "org.apache.tomcat.util.net.openssl.panama.OpenSSLImplementation");
        }
        if ("virtual".equals(threads)) {
            connector.setProperty("useVirtualThreads", "true");
        } else {
            connector.setProperty("maxThreads", threads);
        }
        for (int i = 5; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            String name = args[i].substring(0, eq);
            if (!"protocol".equals(name) && !connector.setProperty(name, args[i].substring(eq + 1))) {
                throw new IllegalArgumentException("unknown connector attribute " + args[i]);
            }
        }
        SSLHostConfig host = new SSLHostConfig();
        host.setHostName("_default_");
        host.setProtocols("TLSv1.2+TLSv1.3");
        SSLHostConfigCertificate cert = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.EC);
        cert.setCertificateFile(args[1]);
        cert.setCertificateKeyFile(args[2]);
        host.addCertificate(cert);
        connector.addSslHostConfig(host);
        tomcat.getService().addConnector(connector);

        AtomicLong requests = new AtomicLong();
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "hello", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                requests.incrementAndGet();
                response.setContentType("text/plain");
                response.getWriter().write("hello\n");
            }
        });
        context.addServletMappingDecoded("/", "hello");

        tomcat.start();
        System.out.println("listening on " + port);
        Thread.sleep(seconds * 1000);
        System.out.printf("requests=%d threads=%d%n", requests.get(), Thread.getAllStackTraces().size());
        tomcat.stop();
        tomcat.destroy();
    }
}
