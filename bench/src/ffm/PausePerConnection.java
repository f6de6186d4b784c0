/*
 * PausePerConnection: how many JVM-wide pauses (HandshakeAllThreads VM operations) each way of holding a
 * connection's native memory costs, and what a connection then costs as the number of platform threads grows.
 * FFM API only, no Tomcat, no OpenSSL. Single-file program for JDK 22+ (measured on JDK 25):
 *
 *   java --enable-native-access=ALL-UNNAMED bench/src/ffm/PausePerConnection.java <mode> <platformThreads> [busyThreads] [seconds]
 *
 * One "connection" thread runs the per-connection work of <mode> in a loop while <platformThreads> other
 * platform threads are alive and parked (and [busyThreads] more spin), as a servlet container's idle pool does.
 * Modes:
 *   none      nothing native: the baseline (what JFR and the JVM do on their own)
 * Every mode also allocates 8 KiB of Java garbage per connection, so that the GC runs and the Cleaner frees the
 * auto arenas during the measurement (their pauses, if any, would be asked for by the Cleaner's thread).
 *   shared    Arena.ofShared(), allocate, close                     (Tomcat's EngineState.stateArena)
 *   upcall    an upcall stub made in its own confined arena and freed by closing it
 *   confined  Arena.ofConfined(), allocate, close
 *   auto      Arena.ofAuto(), allocate, drop (freed by the GC's Cleaner) (Tomcat's OpenSSLEngine.engineArena)
 *   autoupcall  Arena.ofAuto() holding a buffer and an upcall stub, dropped (the same, with its info callback)
 *   tomcat    autoupcall + shared, as one Tomcat 11 FFM OpenSSLEngine does per connection
 *   pooled    a buffer taken from a pool allocated once in a global arena (no per-connection arena or stub)
 *
 * It counts jdk.ExecuteVMOperation events of JFR (started in-process, threshold 0) whose operation is
 * HandshakeAllThreads, and says which thread asked for them. Run with -Xlog:handshake to see each
 * handshake's name too (closing a shared arena shows as "CloseScopedMemory").
 */

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

public final class PausePerConnection {

    /** About Tomcat's per-engine buffer (MAX_ENCRYPTED_PACKET_LENGTH). */
    private static final long BUFFER_BYTES = 16_384 + 2_048 + 5 + 20 + 256;

    /** Java garbage per connection, so that the GC runs (and frees auto arenas) as it would in a server. */
    private static final int GARBAGE_BYTES = 8 * 1024;

    /** The shape of OpenSSL's info callback: void (const SSL *ssl, int where, int ret). */
    private static final FunctionDescriptor INFO_CALLBACK =
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);

    private static final MethodHandle INFO_TARGET;

    static {
        try {
            INFO_TARGET = MethodHandles.lookup().findStatic(PausePerConnection.class, "onInfo",
                    MethodType.methodType(void.class, MemorySegment.class, int.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String mode;
    private final ArrayDeque<MemorySegment> pool = new ArrayDeque<>();
    private long sink;
    /** The last connections' garbage, kept so that the JIT cannot drop the allocation. */
    private final byte[][] recent = new byte[64][];
    private int next;

    private PausePerConnection(String mode) {
        this.mode = mode;
        for (int i = 0; i < 4; i++) {
            pool.add(Arena.global().allocate(BUFFER_BYTES));
        }
    }

    @SuppressWarnings("unused")
    private static void onInfo(MemorySegment ssl, int where, int ret) {
        // never called: the stub only has to exist
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: PausePerConnection <none|shared|upcall|confined|auto|autoupcall|tomcat|pooled>"
                    + " <platformThreads> [busyThreads] [seconds]");
            System.exit(2);
        }
        String mode = args[0];
        int idle = Integer.parseInt(args[1]);
        int busy = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 3;

        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> others = new ArrayList<>();
        for (int i = 0; i < idle; i++) {
            others.add(Thread.ofPlatform().daemon().name("idle-" + i).start(() -> {
                while (running.get()) {
                    LockSupport.park();
                }
            }));
        }
        for (int i = 0; i < busy; i++) {
            others.add(Thread.ofPlatform().daemon().name("busy-" + i).start(() -> {
                long x = 0;
                while (running.get()) {
                    x += System.nanoTime() & 1;
                }
                if (x == 42) {
                    System.out.print("");
                }
            }));
        }

        PausePerConnection bench = new PausePerConnection(mode);
        long[] result = new long[1];
        Runnable loop = () -> result[0] = bench.run(Duration.ofMillis((long) (seconds * 1000)));
        // warm-up, unrecorded: JIT, the upcall stub factory, the first GCs
        Thread warm = Thread.ofPlatform().name("connection").start(() -> bench.run(Duration.ofSeconds(2)));
        warm.join();

        Path jfr = Files.createTempFile("pauses", ".jfr");
        long gcBefore = gcCount();
        long ops;
        long nanos;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecuteVMOperation").withThreshold(Duration.ZERO).withoutStackTrace();
            recording.start();
            long start = System.nanoTime();
            Thread connection = Thread.ofPlatform().name("connection").start(loop);
            connection.join();
            nanos = System.nanoTime() - start;
            ops = result[0];
            // let the Cleaner free what the last GC found unreachable, inside the recording
            System.gc();
            Thread.sleep(200);
            recording.stop();
            recording.dump(jfr);
        }
        long gcs = gcCount() - gcBefore;
        int alive = Thread.activeCount();
        running.set(false);
        others.forEach(LockSupport::unpark);

        Map<String, Integer> byCaller = new TreeMap<>();
        long handshakes = 0;
        long handshakeNanos = 0;
        long safepoints = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            String operation = event.getString("operation");
            if ("HandshakeAllThreads".equals(operation)) {
                handshakes++;
                handshakeNanos += event.getDuration().toNanos();
                RecordedThread caller = event.getThread("caller");
                String name = caller == null ? "?" : caller.getJavaName();
                byCaller.merge(name == null ? caller.getOSName() : name, 1, Integer::sum);
            } else if (event.getBoolean("safepoint")) {
                safepoints++;
            }
        }
        Files.delete(jfr);

        double perSecond = ops / (nanos / 1e9);
        System.out.printf("mode=%s platformThreads=%d busy=%d threadsAlive=%d ops=%d ops/s=%.0f us/op=%.1f"
                        + " HandshakeAllThreads=%d perOp=%.3f meanPause_us=%.0f safepointOps=%d gcs=%d callers=%s%n",
                mode, idle, busy, alive, ops, perSecond, 1e6 / perSecond, handshakes,
                ops == 0 ? 0 : (double) handshakes / ops, handshakes == 0 ? 0 : handshakeNanos / 1e3 / handshakes,
                safepoints, gcs, byCaller);
        if (bench.sink == 42) {
            System.out.print("");
        }
    }

    private long run(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        long ops = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 16; i++) {
                connection();
            }
            ops += 16;
        }
        return ops;
    }

    /** One connection's native memory, made and given back the way the mode says. */
    private void connection() {
        recent[next++ & 63] = new byte[GARBAGE_BYTES];
        switch (mode) {
            case "none" -> sink++;
            case "shared" -> {
                try (Arena arena = Arena.ofShared()) {
                    touch(arena.allocate(64));
                }
            }
            case "confined" -> {
                try (Arena arena = Arena.ofConfined()) {
                    touch(arena.allocate(64));
                }
            }
            case "upcall" -> {
                try (Arena arena = Arena.ofConfined()) {
                    sink += infoStub(arena).address();
                }
            }
            case "auto" -> touch(Arena.ofAuto().allocate(BUFFER_BYTES));
            case "autoupcall" -> autoWithStub();
            case "tomcat" -> {
                autoWithStub();
                try (Arena state = Arena.ofShared()) {
                    touch(MemorySegment.ofAddress(0x1000).reinterpret(8, state, null));
                }
            }
            case "pooled" -> {
                MemorySegment buffer = pool.poll();
                touch(buffer);
                pool.add(buffer);
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    private void autoWithStub() {
        Arena engine = Arena.ofAuto();
        touch(engine.allocate(BUFFER_BYTES));
        sink += infoStub(engine).address();
    }

    private static MemorySegment infoStub(Arena arena) {
        // a fresh target per stub, as Tomcat's SSL_set_info_callback$cb.allocate(new InfoCallback(), arena) binds one
        MethodHandle target = MethodHandles.dropArguments(INFO_TARGET, 0, List.of()).asType(INFO_TARGET.type());
        return Linker.nativeLinker().upcallStub(target, INFO_CALLBACK, arena);
    }

    private void touch(MemorySegment segment) {
        if (segment.byteSize() >= 8 && segment.address() != 0x1000) {
            segment.set(ValueLayout.JAVA_LONG, 0, sink);
            sink += segment.get(ValueLayout.JAVA_LONG, 0) + 1;
        } else {
            sink += segment.address();
        }
    }

    private static long gcCount() {
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }
}
