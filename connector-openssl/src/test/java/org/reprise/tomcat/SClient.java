package org.reprise.tomcat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code openssl s_client} for TLS 1.3 as well as 1.2. TLS 1.3 tickets arrive after the handshake, so when
 * saving a session it stays connected until the session file is written (at most 10 s), not for a fixed time
 * that a busy machine could overrun.
 */
final class SClient {

    private SClient() {
    }

    static OpenSslClient.Result connect(int port, String serverName, Path session, boolean save, String... options)
            throws Exception {
        return run(new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", serverName, save ? "-sess_out" : "-sess_in", session.toString())), save ? session : null,
                options);
    }

    /**
     * Resumes the session in {@code in} and saves the one the server sends then (a renewed TLS 1.3 ticket) in
     * {@code out}, as a client that keeps resuming does.
     */
    static OpenSslClient.Result resume(int port, String serverName, Path in, Path out, String... options)
            throws Exception {
        return run(new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", serverName, "-sess_in", in.toString(), "-sess_out", out.toString())), out, options);
    }

    private static OpenSslClient.Result run(List<String> command, @Nullable Path saved, String... options)
            throws Exception {
        boolean save = saved != null;
        Path session = saved;
        command.addAll(List.of(options));
        if (save) {
            Files.deleteIfExists(session);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (save && process.isAlive() && !(Files.exists(session) && Files.size(session) > 0)
                && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        process.getOutputStream().close();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        OpenSslClient.Result result = new OpenSslClient.Result(
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8), process.exitValue());
        assertTrue(result.handshakeCompleted(), result.output());
        return result;
    }
}
