package org.reprise.tomcat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.reprise.core.metrics.MetricsSnapshot;
import org.reprise.store.jdbc.JdbcStores;

/**
 * Two Reprise nodes ({@code a} and {@code b}) on one PostgreSQL database, optionally through a proxy port,
 * with tables of their own that {@link #close} drops. {@link #restart} replaces a node by a new one on the
 * same database. Each node's JDBC stores are opened here rather than by its connector, so that a test can
 * {@linkplain JdbcStores#flush flush} them; they are closed when their node stops.
 */
final class TwoNodes implements AutoCloseable {

    final TestPki pki = new TestPki();
    private final Path dir;
    private final String jdbcUrl;
    private final ClusterDatabase database;
    private final TestServer[] nodes = new TestServer[2];
    private final JdbcStores[] stores = new JdbcStores[2];
    private final TestPki.Issued certificate;

    /** @param proxyPort a port that forwards to PostgreSQL, or null to connect directly */
    TwoNodes(Path dir, Integer proxyPort) throws Exception {
        this.dir = dir;
        this.jdbcUrl = proxyPort == null ? ClusterDatabase.POSTGRES
                : "jdbc:postgresql://127.0.0.1:" + proxyPort + "/test";
        this.database = new ClusterDatabase(dir, "load");
        certificate = pki.server("localhost", false);
        start(0);
        start(1);
    }

    /** Starts node {@code i} ({@code a} or {@code b}) with stores of its own. */
    private void start(int i) throws Exception {
        String name = i == 0 ? "a" : "b";
        Path nodeDir = Files.createDirectories(dir.resolve(name + System.nanoTime()));
        Path keystore = pki.pkcs12(nodeDir, "localhost", certificate);
        TestServer.ConnectorSpec spec = new TestServer.ConnectorSpec();
        JdbcStores opened = database.open(spec, jdbcUrl, name);
        try {
            spec.host(pki, nodeDir, "localhost", false, false, host -> {
                host.setProtocols("TLSv1.2");
                host.getCertificates().iterator().next().setCertificateKeystoreFile(keystore.toString());
            });
            nodes[i] = TestServer.start(nodeDir, spec);
        } catch (Exception | Error e) {
            opened.close();
            throw e;
        }
        stores[i] = opened;
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

    /** @return node {@code i}'s session and ticket key stores */
    JdbcStores stores(int i) {
        return stores[i];
    }

    /** Stops node {@code i} and starts a new one in its place (on another port). */
    void restart(int i) throws Exception {
        stop(i);
        start(i);
    }

    /** Stops node {@code i}, then closes its stores (which writes what they still have queued). */
    private void stop(int i) throws Exception {
        try {
            nodes[i].close();
        } finally {
            stores[i].close();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            for (int i = 0; i < nodes.length; i++) {
                stop(i);
            }
        } finally {
            database.close();
        }
    }
}
