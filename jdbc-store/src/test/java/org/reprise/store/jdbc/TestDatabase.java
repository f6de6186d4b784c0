package org.reprise.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The databases every shared test runs against: the machine's PostgreSQL (trust authentication) and an
 * H2 file database in a temporary directory deleted when the JVM exits.
 */
enum TestDatabase {

    POSTGRESQL {
        @Override
        String url() {
            return "jdbc:postgresql://127.0.0.1:5432/test";
        }

        @Override
        String user() {
            return "postgres";
        }
    },

    H2 {
        @Override
        String url() {
            return "jdbc:h2:file:" + H2Directory.PATH.resolve("db");
        }

        @Override
        String user() {
            return "sa";
        }
    };

    abstract String url();

    abstract String user();

    /** @return a connection outside any store, to look at and prepare rows as another program would */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), "");
    }

    /** Holds the H2 directory, made on first use only so that PostgreSQL-only runs leave nothing behind. */
    private static final class H2Directory {
        static final Path PATH = create();

        private static Path create() {
            try {
                Path dir = Files.createTempDirectory("reprise-jdbc-test-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void deleteTree(Path dir) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort at exit
            }
        }
    }
}
