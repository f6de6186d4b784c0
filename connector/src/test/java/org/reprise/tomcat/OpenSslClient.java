package org.reprise.tomcat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code openssl s_client} against a test server, bounded in time, and reads what it reports. */
final class OpenSslClient {

    record Result(String output, int exitCode) {
        boolean reused() {
            return output.contains("\nReused, ");
        }

        boolean handshakeCompleted() {
            return output.contains("\nNew, TLS") || output.contains("\nReused, TLS");
        }

        /** @return the value of the first {@code name=value} line the server's response carries, or null */
        String field(String name) {
            return output.lines().filter(l -> l.startsWith(name + "=")).map(l -> l.substring(name.length() + 1))
                    .findFirst().orElse(null);
        }

        /** @return the session ID s_client reports (upper-case hex), or "" */
        String sessionId() {
            return output.lines().map(String::trim).filter(l -> l.startsWith("Session-ID:"))
                    .map(l -> l.substring("Session-ID:".length()).trim()).findFirst().orElse("");
        }

        String protocolLine() {
            return output.lines().filter(l -> l.startsWith("New, ") || l.startsWith("Reused, "))
                    .findFirst().orElse("no handshake");
        }
    }

    static Result connect(int port, String serverName, Path session, boolean save, String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", serverName, save ? "-sess_out" : "-sess_in", session.toString()));
        command.addAll(Arrays.asList(options));
        return run(command);
    }

    /**
     * Connects with s_client, sends {@code request} once connected, and reads until the server closes (the
     * request should say {@code Connection: close}).
     */
    static Result exchange(int port, String serverName, Path session, boolean save, String request,
            String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", serverName, save ? "-sess_out" : "-sess_in", session.toString(), "-ign_eof"));
        command.addAll(Arrays.asList(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            in.write(request.getBytes(StandardCharsets.US_ASCII));
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                process.exitValue());
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, 0);
    }

    /**
     * @param holdOpenMillis how long to keep the client's input open, so that it stays connected long enough
     *                       to receive what a server sends after the handshake (TLS 1.3 tickets)
     */
    static Result run(List<String> command, long holdOpenMillis) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (holdOpenMillis > 0) {
            process.waitFor(holdOpenMillis, TimeUnit.MILLISECONDS);
        }
        process.getOutputStream().close();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(out, process.exitValue());
    }

    /** @return {@code args} followed by {@code more}: a client's usual arguments with a few of a test's own */
    static String[] concat(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
