package org.reprise.tomcat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.reprise.core.metrics.MetricsSnapshot;

/**
 * Two Reprise nodes ({@code a} and {@code b}) on one PostgreSQL database, optionally through a proxy port,
 * with tables of their own that {@link #close} drops. {@link #restart} replaces a node by a new one on the
 * same database.
 */
final class TwoNodes implements AutoCloseable {

    final TestPki pki = new TestPki();
    private final Path dir;
    private final String jdbcUrl;
    private final ClusterDatabase database;
    private final TestServer[] nodes = new TestServer[2];
    private final TestPki.Issued certificate;

    /** @param proxyPort a port that forwards to PostgreSQL, or null to connect directly */
    TwoNodes(Path dir, Integer proxyPort) throws Exception {
        this.dir = dir;
        this.jdbcUrl = proxyPort == null ? ClusterDatabase.POSTGRES
                : "jdbc:postgresql://127.0.0.1:" + proxyPort + "/test";
        this.database = new ClusterDatabase(dir, "load");
        certificate = pki.server("localhost", false);
        nodes[0] = start("a");
        nodes[1] = start("b");
    }

    private TestServer start(String name) throws Exception {
        Path nodeDir = Files.createDirectories(dir.resolve(name + System.nanoTime()));
        Path keystore = pki.pkcs12(nodeDir, "localhost", certificate);
        TestServer.ConnectorSpec spec = database.node(new TestServer.ConnectorSpec(), jdbcUrl, name)
                .host(pki, nodeDir, "localhost", false, false, host -> {
                    host.setProtocols("TLSv1.2");
                    host.getCertificates().iterator().next().setCertificateKeystoreFile(keystore.toString());
                });
        return TestServer.start(nodeDir, spec);
    }

    /** The port of node {@code i % 2}. */
    int port(int i) {
        return nodes[Math.floorMod(i, 2)].port();
    }

    TestServer node(int i) {
        return nodes[i];
    }

    MetricsSnapshot metrics(int i) {
        return nodes[i].metrics();
    }

    /** Stops node {@code i} and starts a new one in its place (on another port). */
    void restart(int i) throws Exception {
        nodes[i].close();
        nodes[i] = start(i == 0 ? "a" : "b");
    }

    @Override
    public void close() throws Exception {
        try {
            for (TestServer node : nodes) {
                node.close();
            }
        } finally {
            database.close();
        }
    }
}
