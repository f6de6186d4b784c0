package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.reprise.core.admin.JmxNames;
import org.reprise.core.metrics.Mechanism;
import org.reprise.core.metrics.MetricsSnapshot;
import org.reprise.core.metrics.MissReason;
import org.reprise.core.ticket.TicketKey;

/**
 * Reprise's connector settings: two differently configured connectors in one JVM, server.xml-style
 * attributes, settings that must stop startup, and the JMX view of the counters.
 *
 * <p>Connector A is NIO with default settings. Connector B is NIO2 with settings from code (5-minute
 * ticket key rotation, JMX name "connector-b") and an SSLHostConfig without session tickets and with a
 * 60-second session timeout.
 */
class ConnectorSettingsTest {

    private static final int A = 0;
    private static final int B = 1;
    private static final String HOST = "localhost";
    private static final String B_NAME = "connector-b";
    private static final String NO_TICKET = "-no_ticket";
    private static final String REPRISE_MBEANS = "org.reprise:*";
    private static final String TOMCAT_MBEANS = "Tomcat:*";

    @TempDir
    Path dir;

    private TestPki pki;
    private int sessionFiles;

    @BeforeEach
    void makePki() throws Exception {
        pki = new TestPki();
    }

    // ---- two connectors

    @ParameterizedTest(name = "tickets offered: {0}")
    @ValueSource(booleans = {false, true})
    void connectorAResumesByIdOrTicket(boolean tickets) throws Exception {
        try (TestServer server = startAAndB()) {
            assertTrue(saveAndResume(server.port(A), tickets).reused(), "A did not resume");

            Mechanism expected = tickets ? Mechanism.TICKET : Mechanism.SESSION_ID;
            MetricsSnapshot a = server.metrics(A);
            assertEquals(1, a.hits(expected), a::toString);
            assertEquals(1, a.handshakesFull(), a::toString);
            assertEquals(tickets ? 1 : 0, a.ticketsIssued(), a::toString);
        }
    }

    @ParameterizedTest(name = "tickets offered: {0}")
    @ValueSource(booleans = {false, true})
    void connectorBNeverIssuesTicketsAndResumesById(boolean tickets) throws Exception {
        try (TestServer server = startAAndB()) {
            assertTrue(saveAndResume(server.port(B), tickets).reused(), "B did not resume");

            MetricsSnapshot b = server.metrics(B);
            assertEquals(0, b.ticketsIssued(), b::toString);
            assertEquals(0, b.requested(Mechanism.TICKET), b::toString);
            assertEquals(1, b.hits(Mechanism.SESSION_ID), b::toString);
            assertEquals(1, b.handshakesFull(), b::toString);
        }
    }

    @Test
    void connectorBUsesItsSettingsFromCodeAndItsHostsTimeout() throws Exception {
        try (TestServer server = startAAndB()) {
            assertEquals(B_NAME, server.resumption(B).name());
            assertKeyTimes(server, B, Duration.ofMinutes(5), Duration.ofSeconds(60));
            assertKeyTimes(server, A, ResumptionSettings.DEFAULT_TICKET_KEY_ROTATION, Duration.ofDays(1));
        }
    }

    @Test
    void eachConnectorCountsOnlyItsOwnHandshakes() throws Exception {
        try (TestServer server = startAAndB()) {
            MetricsSnapshot aBefore = server.metrics(A);
            saveAndResume(server.port(B), false);
            saveAndResume(server.port(B), true);
            assertEquals(aBefore, server.metrics(A), "B's handshakes moved A's counters");
            assertEquals(2, server.metrics(B).handshakesFull());
            assertEquals(2, server.metrics(B).handshakesResumed());

            MetricsSnapshot bBefore = server.metrics(B);
            saveAndResume(server.port(A), false);
            assertEquals(bBefore, server.metrics(B), "A's handshakes moved B's counters");
            assertEquals(1, server.metrics(A).handshakesFull());
            assertEquals(1, server.metrics(A).handshakesResumed());
        }
    }

    /** B has its own store and keys, and no tickets: whatever A issued, B looks up an ID it does not know. */
    @ParameterizedTest(name = "tickets offered: {0}")
    @ValueSource(booleans = {false, true})
    void sessionFromADoesNotResumeOnB(boolean tickets) throws Exception {
        try (TestServer server = startAAndB()) {
            Path session = newSessionFile();
            OpenSslClient.Result onA = connect(server.port(A), session, true, tickets);
            assertTrue(onA.protocolLine().startsWith("New, TLSv1.2"), onA.output());

            OpenSslClient.Result onB = connect(server.port(B), session, false, tickets);

            assertTrue(onB.protocolLine().startsWith("New, TLSv1.2"), onB.output());
            MetricsSnapshot b = server.metrics(B);
            assertEquals(1, b.requested(Mechanism.SESSION_ID), b::toString);
            assertEquals(1, b.misses(MissReason.UNKNOWN), b::toString);
            assertEquals(0, b.hits(Mechanism.SESSION_ID), b::toString);
        }
    }

    // ---- server.xml-style attributes

    @Test
    void serverXmlAttributesConfigureTheConnector() throws Exception {
        TestServer.ConnectorSpec spec = hostSpec("xml", h -> { })
                .property("ticketKeyRotation", "30m")
                .property("allowLegacyResumption", "true")
                .property("resumptionName", "edge-443");
        try (TestServer server = TestServer.start(dir, spec)) {
            assertEquals("edge-443", server.resumption(A).name());
            assertKeyTimes(server, A, Duration.ofMinutes(30), Duration.ofDays(1));
            assertTrue(isRegistered("edge-443"), "MBean under the resumptionName");
            assertTrue(saveAndResume(server.port(A), true).reused(), "no resumption with attributes set");
        }
    }

    /**
     * Every one of the connector's own attributes (ConnectorAttributes.OWN), each with a value it refuses.
     * resumptionName and node take any text, so their only invalid value is a blank one (values are
     * stripped, so an empty or all-space attribute is blank). ticketKeyRotation has a ceiling of 7 days and
     * sweepInterval one of 1 day: "999999999999d" used to start and then break every key refresh
     * (DateTimeException) or every handshake (ArithmeticException in the maintenance thread). Accepted
     * although it breaks the connector later, so not listed here: a node longer than the 1024 bytes a
     * session ticket can hold.
     */
    @ParameterizedTest(name = "{0}=\"{1}\"")
    @CsvSource({
            "ticketKeyRotation, soon",
            "ticketKeyRotation, 999ms",
            "ticketKeyRotation, 8d",
            "ticketKeyRotation, PT168H0.001S",
            "ticketKeyRotation, 999999999999d",
            "allowLegacyResumption, maybe",
            "resumptionName, ''",
            "resumptionName, '   '",
            "sweepInterval, often",
            "sweepInterval, 0s",
            "sweepInterval, 25h",
            "sweepInterval, 999999999999d",
            "node, ''",
            "node, '   '",
            "store, nosuch",
            "resumptionEngine, gnutls",
            "resumptionEngine, ''",
            "sessionMode, sometimes"})
    void invalidAttributeStopsStartup(String attribute, String value) throws Exception {
        assertStartFailsNaming(attribute, hostSpec("bad", h -> { }).property(attribute, value));
    }

    /** This module's tests run without the OpenSSL engine's jar (and on Java 17): selecting it says what is missing. */
    @Test
    void openSslEngineMissingStopsStartupNamingWhatToAdd() throws Exception {
        String messages = assertStartFailsNaming("resumptionEngine=\"openssl\"",
                hostSpec("bad", h -> { }).property("resumptionEngine", "openssl"));
        assertTrue(messages.contains("reprise-connector-openssl") && messages.contains("Java 22"), messages);
    }

    @Test
    void unlimitedSessionTimeoutStopsStartup() throws Exception {
        assertStartFailsNaming("sessionTimeout", hostSpec("bad", h -> h.setSessionTimeout(0)));
    }

    /**
     * RFC 8446 4.6.1: a TLS 1.3 server must not announce a ticket lifetime above 7 days (604800 s), and a
     * client drops a ticket that says more. A longer sessionTimeout stops the start, naming the setting, the
     * SSLHostConfig and the limit, as ticketKeyRotation's 7-day ceiling does.
     */
    @Test
    void aSessionTimeoutAboveSevenDaysStopsStartup() throws Exception {
        String messages = assertStartFailsNaming("sessionTimeout",
                hostSpec("bad", h -> h.setSessionTimeout(7 * 24 * 3600 + 1)));
        for (String expected : List.of("SSLHostConfig " + HOST, "604801", "7 days", "604800")) {
            assertTrue(messages.contains(expected), "no " + expected + " in:\n" + messages);
        }
    }

    @Test
    void aSessionTimeoutOfSevenDaysStarts() throws Exception {
        try (TestServer server = TestServer.start(dir, hostSpec("week", h -> h.setSessionTimeout(7 * 24 * 3600)))) {
            assertKeyTimes(server, A, ResumptionSettings.DEFAULT_TICKET_KEY_ROTATION, Duration.ofDays(7));
            assertTrue(saveAndResume(server.port(A), true).reused(), "a week-long session resumes");
        }
    }

    @Test
    void theLongestRotationAndSweepIntervalAreAccepted() {
        ResumptionSettings longest = ResumptionSettings.builder().ticketKeyRotation(Duration.ofDays(7))
                .sweepInterval(Duration.ofDays(1)).build();
        assertEquals(Duration.ofDays(7), longest.ticketKeyRotation());
        assertEquals(Duration.ofDays(1), longest.sweepInterval());
    }

    @Test
    void zeroTicketKeyRotationIsRefusedByTheBuilder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResumptionSettings.builder().ticketKeyRotation(Duration.ZERO).build());
        assertTrue(e.getMessage().contains("ticketKeyRotation"), e.getMessage());
    }

    /**
     * A protocol Tomcat made by class name (server.xml, Spring Boot) takes settings from code through
     * configure(), attributes still override them, and once the connector has started it refuses new ones.
     */
    @Test
    void aProtocolMadeByClassNameTakesSettingsFromCode() throws Exception {
        ResumptionSettings fromCode = ResumptionSettings.builder().resumptionName("by-name")
                .ticketKeyRotation(Duration.ofMinutes(5)).sweepInterval(Duration.ofMinutes(2)).build();
        TestServer.ConnectorSpec spec = hostSpec("by-name", h -> { }).byClassName().settings(fromCode)
                .property("sweepInterval", "3m");
        try (TestServer server = TestServer.start(dir, spec)) {
            assertEquals("by-name", server.resumption(0).name());
            assertKeyTimes(server, 0, Duration.ofMinutes(5), Duration.ofDays(1));
            assertEquals("3m", server.connector(0).getProperty("sweepInterval"));
            assertTrue(saveAndResume(server.port(), true).reused(), "did not resume");

            var protocol = (Http11NioResumptionProtocol) server.connector(0).getProtocolHandler();
            IllegalStateException late = assertThrows(IllegalStateException.class,
                    () -> protocol.configure(ResumptionSettings.defaults()));
            assertTrue(late.getMessage().contains("before the connector initialises"), late.getMessage());
        }
    }

    // ---- JMX

    @Test
    void countersAreInJmxWhileTheConnectorRuns() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = metricsName(B_NAME);
        try (TestServer server = startAAndB()) {
            saveAndResume(server.port(B), false);
            connect(server.port(B), newSessionFile(), true, false);

            assertTrue(jmx.isRegistered(name), name + " not registered");
            long full = server.metrics(B).handshakesFull();
            assertEquals(2, full);
            assertEquals(full, jmx.getAttribute(name, "HandshakesFull"));
        }
        assertFalse(jmx.isRegistered(name), name + " still registered after the server stopped");
    }

    /**
     * Two connectors of one JVM with one resumptionName used to start, the second missing from JMX and the
     * admin page without a word: it now stops startup naming the setting, and leaves no MBean behind.
     */
    @Test
    void aSecondConnectorWithTheSameResumptionNameStopsStartup() throws Exception {
        Set<ObjectName> before = mbeans(REPRISE_MBEANS);
        TestServer.ConnectorSpec a = hostSpec("twin-a", h -> { }).property("resumptionName", "twin");
        TestServer.ConnectorSpec b = hostSpec("twin-b", h -> { }).property("resumptionName", "twin");
        Exception failure = assertThrows(Exception.class, () -> TestServer.start(dir, a, b).close());
        String messages = causeChain(failure);
        assertTrue(messages.contains("resumptionName=\"twin\" is already used"), messages);
        assertEquals(before, mbeans(REPRISE_MBEANS), "Reprise MBeans left by the failed start");
    }

    /** The nodes of one cluster share a resumptionName (their realm); several of them may run in one JVM. */
    @Test
    void nodesOfOneClusterInOneJvmAreEachInJmx() throws Exception {
        TestServer.ConnectorSpec a = hostSpec("node-a", h -> { }).property("resumptionName", "cluster")
                .property("node", "a");
        TestServer.ConnectorSpec b = hostSpec("node-b", h -> { }).property("resumptionName", "cluster")
                .property("node", "b");
        try (TestServer server = TestServer.start(dir, a, b)) {
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            for (String node : List.of("a", "b")) {
                assertTrue(jmx.isRegistered(JmxNames.of(JmxNames.METRICS, "cluster", node)), node);
                assertTrue(jmx.isRegistered(JmxNames.of(JmxNames.ADMIN, "cluster", node)), node);
            }
        }
    }

    // ---- helpers

    private TestServer startAAndB() throws Exception {
        TestServer.ConnectorSpec a = hostSpec("a", h -> { });
        TestServer.ConnectorSpec b = hostSpec("b", h -> {
            h.setDisableSessionTickets(true);
            h.setSessionTimeout(60);
        }).settings(ResumptionSettings.builder()
                .ticketKeyRotation(Duration.ofMinutes(5))
                .resumptionName(B_NAME)
                .build());
        return TestServer.start(dir, a, b);
    }

    /** A connector spec with one "localhost" host whose key files live in their own subdirectory. */
    private TestServer.ConnectorSpec hostSpec(String subdirectory, Consumer<SSLHostConfig> customise)
            throws Exception {
        Path files = Files.createDirectories(dir.resolve(subdirectory));
        return new TestServer.ConnectorSpec().host(pki, files, HOST, false, false, customise);
    }

    private Path newSessionFile() {
        return dir.resolve("session-" + (sessionFiles++) + ".pem");
    }

    /** A TLS 1.2 handshake with openssl, offering tickets or not, saving or loading {@code session}. */
    private static OpenSslClient.Result connect(int port, Path session, boolean save, boolean tickets)
            throws Exception {
        return tickets ? OpenSslClient.connect(port, HOST, session, save, "-tls1_2")
                : OpenSslClient.connect(port, HOST, session, save, "-tls1_2", NO_TICKET);
    }

    /** A full handshake that saves its session, then one that offers it; returns the second. */
    private OpenSslClient.Result saveAndResume(int port, boolean tickets) throws Exception {
        Path session = newSessionFile();
        OpenSslClient.Result first = connect(port, session, true, tickets);
        assertTrue(first.protocolLine().startsWith("New, TLSv1.2"), first.output());
        return connect(port, session, false, tickets);
    }

    /** The connector's encrypting ticket key seals for {@code rotation} and opens for {@code lifetime} more. */
    private static void assertKeyTimes(TestServer server, int connector, Duration rotation, Duration lifetime) {
        TicketKey key = server.resumption(connector).resumptionContext().keyRing().encryptionKey();
        assertEquals(rotation, Duration.between(key.created(), key.encryptUntil()), "rotation of " + connector);
        assertEquals(lifetime, Duration.between(key.encryptUntil(), key.decryptUntil()), "lifetime of " + connector);
    }

    /**
     * Starting a server with {@code spec} fails with a message naming {@code setting}, and leaves no
     * listening port, thread or MBean behind.
     */
    private String assertStartFailsNaming(String setting, TestServer.ConnectorSpec spec) throws Exception {
        int port = freePort();
        spec.property("port", Integer.toString(port));
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        Set<ObjectName> repriseBefore = mbeans(REPRISE_MBEANS);
        Set<ObjectName> tomcatBefore = mbeans(TOMCAT_MBEANS);

        Exception failure = assertThrows(Exception.class, () -> TestServer.start(dir, spec).close());

        String messages = causeChain(failure);
        assertTrue(messages.contains(setting), "no message names " + setting + ":\n" + messages);
        assertPortFree(port);
        assertEquals(Set.of(), serverThreadsNotIn(threadsBefore), "threads left by the failed start");
        assertEquals(repriseBefore, mbeans(REPRISE_MBEANS), "Reprise MBeans left by the failed start");
        assertEquals(tomcatBefore, mbeans(TOMCAT_MBEANS), "Tomcat MBeans left by the failed start");
        return messages;
    }

    /** Live threads, other than {@code known}, that are Tomcat's or run Tomcat or Reprise code. */
    private static Set<String> serverThreadsNotIn(Set<Thread> known) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().isAlive() && !known.contains(e.getKey()))
                .filter(e -> isServerCode(e.getKey().getClass().getName())
                        || Arrays.stream(e.getValue()).anyMatch(f -> isServerCode(f.getClassName())))
                .map(e -> e.getKey().getName())
                .collect(Collectors.toSet());
    }

    private static boolean isServerCode(String className) {
        return className.startsWith("org.apache.catalina.") || className.startsWith("org.apache.coyote.")
                || className.startsWith("org.apache.tomcat.") || className.startsWith("org.reprise.");
    }

    private static String causeChain(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append('\n');
        }
        return b.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void assertPortFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new AssertionError("port " + port + " still bound after the failed start", e);
        }
    }

    private static ObjectName metricsName(String connector) throws Exception {
        return JmxNames.of(JmxNames.METRICS, connector, null);
    }

    private static boolean isRegistered(String connector) throws Exception {
        return ManagementFactory.getPlatformMBeanServer().isRegistered(metricsName(connector));
    }

    private static Set<ObjectName> mbeans(String pattern) throws Exception {
        return new HashSet<>(ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName(pattern), null));
    }
}
