package org.reprise.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionRecord;

/**
 * Latency and rate of the two calls a handshake makes on a session store: {@code retrieve} (a session-ID
 * resumption looks the ID up) and {@code store} (a full handshake saves its session). bin/bench runs it with
 * {@code -t 1} and {@code -t 8} callers in sample-time mode.
 *
 * <p>Each JDBC store runs with a one-entry cache in front, so that {@code retrieve} measures the database
 * rather than the node's cache: the IDs are drawn at random from {@link #sessions} stored sessions. A
 * handshake only queues a JDBC write (it is written behind the handshake); {@code store} here waits until
 * the session is in the database, so it measures what the database costs per session and how many sessions
 * per second it takes in. (Concurrent callers share the single writer, which batches their sessions.)
 */
@State(Scope.Benchmark)
public class StoreBenchmark {

    /** Which store: {@code memory}, {@code h2}, {@code postgres}. */
    @Param({"memory", "h2", "postgres"})
    public String store = "memory";

    /** How many sessions the store holds while retrieve runs. */
    @Param("20000")
    public int sessions = 20_000;

    private BenchStores stores;
    private SessionId[] ids;
    private Path h2Dir;

    /** Opens the store and fills it. */
    @Setup(Level.Trial)
    public void open() throws Exception {
        h2Dir = Files.createTempDirectory("reprise-bench-h2");
        // the longest budget a connector allows, so that slow lookups are measured instead of failing
        stores = BenchStores.open(store, sessions * 4L, 1, "rbench_jmh_", h2Dir.toString(), Duration.ofSeconds(10));
        List<SessionId> filled = stores.fill(sessions);
        ids = filled.toArray(new SessionId[0]);
        if (stores.sessions().retrieve(ids[0], Instant.now()) == null) {
            throw new IllegalStateException(store + " store does not return what was stored");
        }
    }

    /** Closes the store and drops its tables. */
    @TearDown(Level.Trial)
    public void close() throws Exception {
        stores.close();
        try (Stream<Path> files = Files.walk(h2Dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** @return a stored session, looked up by a random ID of the filled set */
    @Benchmark
    public SessionRecord retrieve() {
        SessionId id = ids[ThreadLocalRandom.current().nextInt(ids.length)];
        SessionRecord found = stores.sessions().retrieve(id, Instant.now());
        if (found == null) {
            throw new IllegalStateException("session missing from the " + store + " store");
        }
        return found;
    }

    /** Stores a new session and waits until it is written. */
    @Benchmark
    public void store(CallerState caller) {
        stores.sessions().store(BenchStores.synthetic(caller.random, Instant.now()));
        stores.awaitWritten();
    }

    /** Each caller's own random source, so that callers do not contend on one. */
    @State(Scope.Thread)
    public static class CallerState {
        final java.util.Random random = new java.util.Random(new SplittableRandom().nextLong());
    }
}
