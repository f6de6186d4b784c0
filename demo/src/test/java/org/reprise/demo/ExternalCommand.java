package org.reprise.demo;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool with a time limit; output goes to files, so a chatty tool cannot block on a pipe. */
final class ExternalCommand {

    record Result(int exitCode, String stdout, String stderr) {
        String describe() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private ExternalCommand() {
    }

    /** @return whether an executable of this name is on the PATH */
    static boolean available(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the command with stdin from /dev/null, killing it (and its children) if it outlives the timeout.
     *
     * @param workDir where its output files go
     */
    static Result run(Path workDir, Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "cmd", ".out");
        Path err = Files.createTempFile(workDir, "cmd", ".err");
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("Timed out after " + timeout + ": " + String.join(" ", command) + "\n--- stdout so far\n"
                        + Files.readString(out, StandardCharsets.UTF_8) + "\n--- stderr so far\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
        } finally {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
