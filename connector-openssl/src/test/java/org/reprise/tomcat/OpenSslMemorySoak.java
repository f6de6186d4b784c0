package org.reprise.tomcat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.reprise.core.metrics.MetricsSnapshot;

/**
 * Not a test: a soak that shows whether the OpenSSL engine leaks native memory. It serves handshakes from
 * {@code openssl s_time} (full and resumed, TLS 1.3 and 1.2) until the engine has completed the requested
 * number, and prints the process's resident memory every tenth of the way. Run it with a heap that is fully
 * committed up front, so that the resident size moves only with native memory:
 *
 * <pre>
 * JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -q -pl connector-openssl exec:exec -Dexec.executable=java \
 *   -Dexec.classpathScope=test -Dexec.args="-Xms256m -Xmx256m -XX:+AlwaysPreTouch \
 *   --enable-native-access=ALL-UNNAMED -cp %classpath org.reprise.tomcat.OpenSslMemorySoak 100000 stateful"
 * </pre>
 */
public final class OpenSslMemorySoak {

    private OpenSslMemorySoak() {
    }

    public static void main(String[] args) throws Exception {
        long target = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
        SessionMode mode = args.length > 1 ? SessionMode.parse(args[1]) : SessionMode.STATEFUL;
        Path dir = Files.createTempDirectory("reprise-soak");
        TestPki pki = new TestPki();
        try (TestServer server = TestServer.start(dir, new TestServer.ConnectorSpec()
                .settings(ResumptionSettings.builder().engine("openssl").sessionMode(mode).build())
                .host(pki, dir, "localhost", false, false, h -> { }))) {
            System.out.printf("%s mode, %,d handshakes; OpenSSL s_time clients over loopback%n", mode, target);
            System.out.printf("%12s %10s %10s %10s%n", "handshakes", "resumed", "RSS MiB", "heap MiB");
            report(server, 0);
            List<List<String>> mix = List.of(List.of("-new", "-tls1_3"), List.of("-reuse", "-tls1_3"),
                    List.of("-new", "-tls1_2"), List.of("-reuse", "-tls1_2"));
            long nextReport = target / 10;
            for (int round = 0; handshakes(server) < target; round++) {
                List<String> options = mix.get(round % mix.size());
                List<Process> clients = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    List<String> command = new ArrayList<>(List.of("openssl", "s_time", "-connect",
                            "127.0.0.1:" + server.port(), "-time", "5"));
                    command.addAll(options);
                    clients.add(new ProcessBuilder(command).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                }
                for (Process client : clients) {
                    if (!client.waitFor(60, TimeUnit.SECONDS)) {
                        client.destroyForcibly();
                    }
                }
                while (handshakes(server) >= nextReport && nextReport <= target) {
                    report(server, handshakes(server));
                    nextReport += target / 10;
                }
            }
        }
    }

    private static long handshakes(TestServer server) {
        MetricsSnapshot m = server.metrics();
        return m.handshakesFull() + m.handshakesResumed();
    }

    private static void report(TestServer server, long handshakes) throws Exception {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        long heap = runtime.totalMemory() - runtime.freeMemory();
        long rssKib = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1);
        System.out.printf("%,12d %,10d %10.1f %10.1f%n", handshakes, server.metrics().handshakesResumed(),
                rssKib / 1024.0, heap / 1048576.0);
    }
}
