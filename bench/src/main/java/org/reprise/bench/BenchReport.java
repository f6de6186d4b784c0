package org.reprise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Turns one bin/bench run into the generated part of BENCHMARKS.md (between {@link #BEGIN} and
 * {@link #END}; the rest of the file is kept as it is) and a PNG chart of the handshake rates: issue 16's
 * targets first, then sections 1 to 5 in order. A {@code --quick} run's report goes beside its raw results
 * instead ({@link ReportFiles}). Prints the path of the report it wrote.
 *
 * <pre>BenchReport RUN_DIR REPOSITORY_ROOT</pre>
 */
public final class BenchReport {

    /** The line that opens the generated region. */
    static final String BEGIN = "<!-- bin/bench: begin (generated; edit outside these markers) -->";
    /** The line that closes it. */
    static final String END = "<!-- bin/bench: end -->";

    /** The embedded Tomcat the servers ran on, as "Tomcat 11.0.29". */
    private static final String TOMCAT = "Tomcat " + org.apache.catalina.util.ServerInfo.getServerNumber()
            .replaceFirst("\\.0$", "");
    static final List<String> CASES = List.of("tls12-full", "tls12-id", "tls12-ticket", "tls13-full", "tls13-resumed");
    private static final Map<String, String> CASE_NAMES = Map.of(
            "tls12-full", "TLS 1.2 full", "tls12-id", "TLS 1.2 resumed, session ID",
            "tls12-ticket", "TLS 1.2 resumed, ticket", "tls13-full", "TLS 1.3 full",
            "tls13-resumed", "TLS 1.3 resumed (PSK)");
    private static final Map<String, String> VARIANT_NAMES = Map.of(
            "reprise-bc", "Reprise, Bouncy Castle", "reprise-openssl", "Reprise, OpenSSL",
            "reprise-openssl-vt", "Reprise, OpenSSL, virtual threads",
            "jsse", TOMCAT + ", JSSE", "nginx", "nginx");
    /** The OpenSSL engine's configurations: Tomcat's default thread pool, and virtual threads. */
    private static final List<String> OPENSSL = List.of("reprise-openssl", "reprise-openssl-vt");
    private static final Map<String, String> SHORT_NAMES = Map.of(
            "reprise-bc", "Reprise BC", "reprise-openssl", "Reprise OpenSSL",
            "reprise-openssl-vt", "Reprise OpenSSL VT", "jsse", "JSSE", "nginx", "nginx");
    private static final Map<String, String> CERT_NAMES = Map.of("ec", "ECDSA P-256", "rsa", "RSA 2048");
    /** Below this share of resumed handshakes a "resumed" figure is really a full one. */
    private static final double RESUMED_SHARE = 0.9;
    /** Issue 16: of the attempts to resume TLS 1.3, at least this share must resume. */
    private static final double RESUMED_TARGET = 0.99;

    private final RunResults results;
    private final SoakSeries soak;
    private final Map<String, String> machine;
    private final List<JsonNode> jmh = new ArrayList<>();
    private final List<String> fill;
    private final List<String> warmUps;
    private final StringBuilder md = new StringBuilder();
    private final List<String[]> targets = new ArrayList<>();

    private BenchReport(Path run) throws IOException {
        results = RunResults.read(run.resolve("results.tsv"));
        soak = SoakSeries.read(run.resolve("soak.tsv"));
        machine = new LinkedHashMap<>();
        for (String line : Files.readAllLines(run.resolve("machine.tsv"))) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                machine.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        ObjectMapper json = new ObjectMapper();
        for (String name : List.of("jmh-t1.json", "jmh-t8.json")) {
            Path file = run.resolve(name);
            if (Files.exists(file)) {
                json.readTree(file.toFile()).forEach(jmh::add);
            }
        }
        Path fillFile = run.resolve("fill.tsv");
        fill = Files.exists(fillFile) ? Files.readAllLines(fillFile) : List.of();
        Path warmFile = run.resolve("warmup.tsv");
        warmUps = Files.exists(warmFile) ? Files.readAllLines(warmFile) : List.of();
    }

    /** Where a run's report goes: the published page and chart, or, for a smoke run, files beside its raw results. */
    record ReportFiles(Path markdown, Path chart) {

        /**
         * A full run rewrites BENCHMARKS.md and docs/bench-handshakes.png under the repository root; a
         * {@code --quick} run (capped warm-ups, one short round: noisy figures that must not be published)
         * writes BENCHMARKS-quick.md and bench-handshakes.png in its run directory and touches neither.
         */
        static ReportFiles of(Path run, Path root, boolean quick) {
            return quick ? new ReportFiles(run.resolve("BENCHMARKS-quick.md"), run.resolve("bench-handshakes.png"))
                    : new ReportFiles(root.resolve("BENCHMARKS.md"),
                            root.resolve("docs").resolve("bench-handshakes.png"));
        }
    }

    /** @param args the run directory and the repository root */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BenchReport RUN_DIR REPOSITORY_ROOT");
            System.exit(2);
        }
        Path run = Path.of(args[0]);
        BenchReport report = new BenchReport(run);
        ReportFiles files = ReportFiles.of(run, Path.of(args[1]), report.quick());
        Path chart = files.chart().toAbsolutePath();
        Path dir = files.markdown().toAbsolutePath().getParent();
        String region = report.render(dir.relativize(chart).toString().replace('\\', '/'));
        Files.createDirectories(dir);
        writeRegion(files.markdown(), region,
                report.quick() ? "# bin/bench --quick: a smoke run, not for publishing\n" : "# Benchmarks\n");
        Files.createDirectories(chart.getParent());
        HandshakeChart.write(report.results, chart, "Handshakes per second, ECDSA P-256 ("
                + report.machine.getOrDefault("date", "") + ")");
        System.out.println(files.markdown());
    }

    private boolean quick() {
        return machine.getOrDefault("mode", "full").equals("quick");
    }

    /**
     * Replaces the generated region of the file (or appends one, under {@code title} in a new file), keeping
     * every other line.
     */
    static void writeRegion(Path file, String region, String title) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : title;
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        String generated = BEGIN + "\n" + region + END;
        String out;
        if (begin >= 0 && end > begin) {
            out = text.substring(0, begin) + generated + text.substring(end + END.length());
        } else {
            out = text.stripTrailing() + "\n\n" + generated + "\n";
        }
        Files.writeString(file, out);
    }

    /** The generated region: the run, the targets, then sections 1 to 5 in the order they are numbered. */
    String render(String chartPath) {
        StringBuilder head = new StringBuilder();
        md.append("\n## Side by side (bin/bench, ").append(machine.getOrDefault("date", "?")).append(")\n\n");
        describeRun();
        head.append(md);
        md.setLength(0);
        handshakes();
        cpuPerHandshake();
        ratios();
        md.append("![Handshakes per second](").append(chartPath).append(")\n\n");
        throughput();
        storeSize();
        storeOperations();
        residentMemory();
        String sections = md.toString();
        md.setLength(0);
        issueTargets();
        otherTargets();
        return head + md.toString() + sections;
    }

    private void describeRun() {
        if (quick()) {
            md.append("**A smoke run** (`--quick`: capped warm-ups, one short round, ECDSA only, small stores, a short "
                    + "soak): it checks that the harness works; its figures are noisy and are not published.\n\n");
        }
        md.append("**Command:** `").append(machine.getOrDefault("command", "bin/bench")).append("`. ");
        md.append("**Machine:** ").append(machine.get("cpu")).append(", ").append(machine.get("memory"))
                .append(" RAM, ").append(machine.get("os")).append("; ").append(machine.get("java")).append("; ")
                .append(machine.get("openssl")).append("; nginx ").append(machine.get("nginx")).append("; ")
                .append(machine.get("postgres")).append(".\n");
        md.append("**CPUs:** ").append(machine.get("pinning")).append(". **Load average** (1, 5, 15 min) before the run: ")
                .append(machine.get("load_before")).append(", after: ").append(machine.getOrDefault("load_after", "?"));
        double load = parse(machine.getOrDefault("load_before", "0").split(" ")[0]);
        if (load > 0.5) {
            md.append(" (**above 0.5: other work shared the machine; the figures are noisy**)");
        }
        md.append(".\n\n");
        if (!warmUps.isEmpty()) {
            md.append("**Warm-up** before recording (Java servers, until every case's rate was within 10% of the round "
                    + "before; \"capped\": stopped at the limit):");
            for (String line : warmUps) {
                String[] f = line.split("\t");
                if (f.length == 5) {
                    md.append(' ').append(name(f[0])).append(' ').append(f[1]).append(' ').append(f[2]).append(' ')
                            .append(f[3]).append(" s").append(f[4].equals("steady") ? "" : " (capped)").append(';');
                }
            }
            md.setLength(md.length() - 1);
            md.append(".\n\n");
        }
        md.append("Each figure is the median of the recorded runs, with the lowest and highest in brackets. "
                + "Client CPU is the load generator's own CPU time per second of wall clock (1.00 = its whole core); "
                + "server CPU likewise for the server process. Under each resumed figure: the share of the attempts "
                + "to resume (connections that offered a session) that resumed, median over the runs.\n\n");
    }

    private List<String> ranVariants() {
        return results.variants().stream().filter(v -> results.unavailable(v) == null).toList();
    }

    private void handshakes() {
        md.append("### 1. Handshakes per second\n\n");
        for (String v : results.variants()) {
            String why = results.unavailable(v);
            if (why != null) {
                md.append("- ").append(name(v)).append(": **not available** (").append(why).append(").\n");
            }
        }
        md.append('\n');
        List<String> variants = ranVariants();
        for (String cert : List.of("ec", "rsa")) {
            if (!results.has("hs", cert)) {
                continue;
            }
            md.append("**").append(CERT_NAMES.get(cert)).append("**: handshakes per second; latency p50 / p99 in ms; "
                    + "client CPU / server CPU\n\n| handshake |");
            variants.forEach(v -> md.append(' ').append(name(v)).append(" |"));
            md.append("\n|---|");
            variants.forEach(v -> md.append("---:|"));
            md.append('\n');
            for (String c : CASES) {
                md.append("| ").append(CASE_NAMES.get(c)).append(" |");
                for (String v : variants) {
                    RunResults.Cell cell = results.cell("hs", v, cert, c);
                    md.append(' ').append(cell == null ? "–" : handshakeCell(c, cell)).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
        RunResults.Cell any = results.cell("hs", "reprise-bc", "ec", "tls12-full");
        if (any != null) {
            md.append("Negotiated (Reprise, ECDSA, TLS 1.2 full): `").append(any.text("negotiated"))
                    .append("`; every server was offered only `ECDHE-*-AES128-GCM-SHA256` (TLS 1.2) or "
                            + "`TLS_AES_128_GCM_SHA256` (TLS 1.3), with X25519 first.\n\n");
        }
    }

    private static String handshakeCell(String kase, RunResults.Cell cell) {
        String s = String.format(Locale.ROOT, "**%s** (%s–%s)<br>%.1f / %.1f ms<br>%.2f / %.2f CPU",
                count(cell.median("rate")), count(cell.min("rate")), count(cell.max("rate")),
                cell.median("p50_us") / 1000, cell.median("p99_us") / 1000,
                cell.median("client_cpu"), cell.median("server_cpu_share"));
        if (!kase.endsWith("full")) {
            s += "<br>" + share(cell) + " resumed";
        }
        return s;
    }

    /** @return the median handshake rate, or NaN; resumed cases that did not resume give NaN too */
    private double rate(String variant, String cert, String kase) {
        RunResults.Cell cell = results.cell("hs", variant, cert, kase);
        if (cell == null || (!kase.endsWith("full") && cell.median("reused_share") < RESUMED_SHARE)) {
            return Double.NaN;
        }
        return cell.median("rate");
    }

    private void ratios() {
        List<String> engines = new ArrayList<>(List.of("reprise-bc"));
        engines.addAll(OPENSSL);
        List<String> all = new ArrayList<>(engines);
        all.addAll(List.of("jsse", "nginx"));
        md.append("**Ratios** (medians)\n\n| certificate | handshake | Reprise BC / JSSE |");
        engines.forEach(v -> md.append(' ').append(SHORT_NAMES.get(v)).append(" / nginx |"));
        all.forEach(v -> md.append(" resumed / full: ").append(SHORT_NAMES.get(v)).append(" |"));
        md.append("\n|---|---|---:|").append("---:|".repeat(engines.size() + all.size())).append('\n');
        for (String cert : List.of("ec", "rsa")) {
            if (!results.has("hs", cert)) {
                continue;
            }
            for (String c : CASES) {
                String full = c.startsWith("tls12") ? "tls12-full" : "tls13-full";
                md.append("| ").append(CERT_NAMES.get(cert)).append(" | ").append(CASE_NAMES.get(c)).append(" | ")
                        .append(ratio(rate("reprise-bc", cert, c), rate("jsse", cert, c))).append(" |");
                engines.forEach(v -> md.append(' ').append(ratio(rate(v, cert, c), rate("nginx", cert, c))).append(" |"));
                for (String v : all) {
                    md.append(' ').append(c.equals(full) ? "" : ratio(rate(v, cert, c), rate(v, cert, full)))
                            .append(" |");
                }
                md.append('\n');
            }
        }
        md.append("\n– : not measured, or the \"resumed\" handshakes did not resume.\n\n");
        for (String cert : List.of("ec", "rsa")) {
            for (String c : List.of("tls12-id", "tls12-ticket", "tls13-resumed")) {
                String full = c.startsWith("tls12") ? "tls12-full" : "tls13-full";
                for (String v : engines) {
                    if (results.unavailable(v) != null || results.cell("hs", v, cert, c) == null) {
                        continue;
                    }
                    String what = "Resumed ≥ 5 × full, " + name(v) + ", " + CASE_NAMES.get(c) + ", " + CERT_NAMES.get(cert);
                    RunResults.Cell cell = results.cell("hs", v, cert, c);
                    if (cell.median("reused_share") < RESUMED_SHARE) {
                        targets.add(new String[] {what, String.format(Locale.ROOT, "%.0f%% resumed",
                            100 * cell.median("reused_share")), "cannot be met: the engine does not resume these"});
                        continue;
                    }
                    double r = rate(v, cert, c) / rate(v, cert, full);
                    target(what, r, r >= 5, "×");
                }
                if (!c.startsWith("tls13") && results.cell("hs", "jsse", cert, c) != null) {
                    double r = rate("reprise-bc", cert, c) / rate("jsse", cert, c);
                    target("Reprise BC resumed ≥ JSSE, " + CASE_NAMES.get(c) + ", " + CERT_NAMES.get(cert), r, r >= 1, "×");
                }
            }
        }
    }

    /** The servers of section 2, in the order of its table: both engines' configurations, then stock Tomcat. */
    private static final List<String> DATA_SERVERS =
            List.of("reprise-bc", "reprise-openssl", "reprise-openssl-vt", "jsse");
    private static final List<String> DATA_SIZES = List.of("1000000", "100000000");

    private void throughput() {
        if (DATA_SIZES.stream().noneMatch(
                s -> DATA_SERVERS.stream().anyMatch(v -> results.cell("tput", v, "ec", s) != null))) {
            return;
        }
        md.append("### 2. Data over one established connection (TLS 1.3, AES-128-GCM, ECDSA)\n\n"
                + "MB/s (10^6 bytes) of response body, `GET /bytes?n=SIZE` repeated on one keep-alive connection; "
                + "median (lowest–highest).\n\n"
                + "| response | server | MB/s | client CPU | server CPU | MB per server CPU second | ÷ JSSE |\n"
                + "|---|---|---:|---:|---:|---:|---:|\n");
        for (String s : DATA_SIZES) {
            RunResults.Cell jsse = results.cell("tput", "jsse", "ec", s);
            for (String v : DATA_SERVERS) {
                RunResults.Cell c = results.cell("tput", v, "ec", s);
                if (c == null) {
                    continue;
                }
                double r = v.equals("jsse") ? Double.NaN : mbRatio(v, s);
                md.append(String.format(Locale.ROOT,
                        "| %d MB | %s | **%.0f** (%.0f–%.0f) | %.2f | %.2f | %.0f | %s |%n",
                        Long.parseLong(s) / 1_000_000, name(v), c.median("mb_per_s"), c.min("mb_per_s"),
                        c.max("mb_per_s"), c.median("client_cpu"), c.median("server_cpu_share"),
                        c.median("mb_per_s") / c.median("server_cpu_share"), jsse == null ? "–" : ratio(r)));
            }
            double bc = mbRatio("reprise-bc", s);
            target("Reprise BC throughput ≥ 0.8 × JSSE, " + Long.parseLong(s) / 1_000_000 + " MB", bc, bc >= 0.8, "×");
        }
        md.append('\n');
    }

    /** @return the variant's median throughput over JSSE's at one response size, or NaN */
    private double mbRatio(String variant, String size) {
        RunResults.Cell c = results.cell("tput", variant, "ec", size);
        RunResults.Cell jsse = results.cell("tput", "jsse", "ec", size);
        return c == null || jsse == null ? Double.NaN : c.median("mb_per_s") / jsse.median("mb_per_s");
    }

    /** Milliseconds of server CPU per handshake, each beside nginx's: how far a server is from the limit. */
    private void cpuPerHandshake() {
        List<String> variants = ranVariants();
        for (String cert : List.of("ec", "rsa")) {
            if (!results.has("hs", cert)) {
                continue;
            }
            md.append("**Server CPU per handshake**, ").append(CERT_NAMES.get(cert)).append(": ms of the server "
                    + "process's CPU time (user + system) per completed handshake, median over the runs, and its "
                    + "multiple of nginx's. A server at 1.00 CPU can make at most 1,000 ÷ this many handshakes per "
                    + "second on its one core.\n\n| handshake |");
            variants.forEach(v -> md.append(' ').append(name(v)).append(" |"));
            md.append("\n|---|").append("---:|".repeat(variants.size())).append('\n');
            for (String c : CASES) {
                md.append("| ").append(CASE_NAMES.get(c)).append(" |");
                double nginx = cpuMs("nginx", cert, c);
                for (String v : variants) {
                    double ms = cpuMs(v, cert, c);
                    md.append(' ').append(Double.isNaN(ms) ? "–" : String.format(Locale.ROOT, "%.3f ms", ms));
                    if (!v.equals("nginx") && !Double.isNaN(ms) && !Double.isNaN(nginx)) {
                        md.append(String.format(Locale.ROOT, " (%.1f ×)", ms / nginx));
                    }
                    md.append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
    }

    /** @return the median server CPU per handshake in ms, or NaN */
    private double cpuMs(String variant, String cert, String kase) {
        RunResults.Cell cell = results.cell("hs", variant, cert, kase);
        return cell == null ? Double.NaN : cell.median("server_cpu_ms");
    }

    private void residentMemory() {
        if (soak.servers().isEmpty()) {
            return;
        }
        md.append("### 5. Resident memory over many handshakes (ECDSA)\n\n"
                + "Each server (Java ones with a fixed, pre-touched heap: `-Xms512m -Xmx512m -XX:+AlwaysPreTouch`, so "
                + "that the resident size moves only with native memory and the JVM's own; nginx with a 5 MB shared "
                + "session cache, about 20,000 sessions like Reprise's memory store, which is resident only as it "
                + "fills) takes handshakes from the "
                + "client in turns of every case of section 1 while its VmRSS (`/proc/PID/status`, nginx with its "
                + "worker) is read after each turn of a few seconds. The first handshakes are a warm-up (JIT, code "
                + "cache, the session store and OpenSSL's caches filling, malloc arenas) and not counted. Slope: the "
                + "least-squares line of the resident size over the handshakes after the warm-up. **Flat** means a "
                + "slope below ").append(ratio(SoakSeries.FLAT_MIB_PER_100K)).append(" MiB per 100,000 handshakes, "
                + "about 10 bytes per handshake: one leaked 100-byte object per connection would add about 10 MiB per "
                + "100,000 (100 MB per 1,000,000), ten times the threshold.\n\n"
                + "| server | warm-up | handshakes after it | RSS at start | at end | highest | slope per 100,000 | |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Map.Entry<String, SoakSeries.Server> e : soak.servers().entrySet()) {
            SoakSeries.Server s = e.getValue();
            md.append("| ").append(name(e.getKey())).append(" | ");
            double[] first = s.first();
            double[] last = s.last();
            if (first == null || last == null) {
                md.append(count(s.warmUp)).append(" | – | – | – | – | – | ").append(s.end).append(' ')
                        .append(s.detail).append(" |\n");
                continue;
            }
            double slope = s.slopeMibPer100k();
            md.append(String.format(Locale.ROOT,
                    "%s | %s in %.0f s | %.1f MiB | %.1f MiB | %.1f MiB | %+.2f MiB | %s%s |%n",
                    count(s.warmUp), count(s.handshakes()), last[2] - first[2], first[1], last[1], s.maxMib(), slope,
                    Double.isNaN(slope) ? "–" : slope < SoakSeries.FLAT_MIB_PER_100K ? "flat" : "**growing**",
                    s.end.equals("complete") ? "" : "; " + s.end + (s.detail.isEmpty() ? "" : ": " + s.detail)));
        }
        md.append("\nSamples: `soak.tsv` of the run directory.\n\n");
    }

    /** One cell of issue 16's targets: what was measured, and whether it meets the target (null: not decided). */
    private record Verdict(String measured, @Nullable Boolean met) {

        static Verdict of(String measured, boolean met) {
            return new Verdict(measured, met);
        }

        String text() {
            return met == null ? measured : measured + ", " + (met ? "met" : "**missed**");
        }
    }

    /** A row of issue 16's targets: its wording, and the rule that judges one OpenSSL configuration and certificate. */
    private record TargetRow(String what, BiFunction<String, String, Verdict> rule) {
    }

    /**
     * Issue 16's speed targets for the OpenSSL engine, on Tomcat's default platform-thread pool and on virtual
     * threads, one column per configuration and certificate; each cell gives the measured value, the ratio and
     * whether it meets the target.
     */
    private void issueTargets() {
        List<String[]> columns = new ArrayList<>();
        for (String v : OPENSSL) {
            for (String cert : List.of("ec", "rsa")) {
                if (results.has("hs", cert)) {
                    columns.add(new String[] {v, cert});
                }
            }
        }
        md.append("### Targets (issue 16)\n\n");
        if (columns.isEmpty()) {
            md.append("No handshakes were measured.\n\n");
            return;
        }
        for (String v : OPENSSL) {
            if (results.unavailable(v) != null) {
                md.append("- ").append(name(v)).append(": **not available** (").append(results.unavailable(v))
                        .append("): every target below is missed for it.\n\n");
            }
        }
        md.append("Rates are medians over the runs of sections 1 and 2 (handshakes per second, MB/s); a \"resumed\" "
                + "figure where under ").append(Math.round(100 * RESUMED_SHARE))
                .append("% of the attempts resumed counts as not resumed. Platform threads: Tomcat's default pool (`maxThreads` 200); virtual threads: "
                + "`useVirtualThreads=\"true\"`.\n\n| target |");
        for (String[] c : columns) {
            md.append(' ').append(SHORT_NAMES.get(c[0])).append(c[0].endsWith("-vt") ? "" : " (platform threads)")
                    .append(", ").append(CERT_NAMES.get(c[1])).append(" |");
        }
        md.append("\n|---|").append("---|".repeat(columns.size())).append('\n');
        int met = 0;
        int judged = 0;
        for (TargetRow row : issueRows()) {
            md.append("| ").append(row.what()).append(" |");
            for (String[] c : columns) {
                Verdict verdict = results.unavailable(c[0]) != null ? Verdict.of("not available", false)
                        : row.rule().apply(c[0], c[1]);
                if (verdict.met() != null) {
                    judged++;
                    met += verdict.met() ? 1 : 0;
                }
                md.append(' ').append(verdict.text()).append(" |");
            }
            md.append('\n');
        }
        md.append("\n**").append(met).append(" of ").append(judged).append(" met.**\n\n");
    }

    private List<TargetRow> issueRows() {
        List<TargetRow> rows = new ArrayList<>();
        rows.add(new TargetRow("TLS 1.3 resumed ≥ 0.75 × nginx",
                (v, c) -> rateTarget(v, c, "tls13-resumed", "nginx", 0.75)));
        rows.add(new TargetRow("TLS 1.3 resumed ≥ 1.6 × stock Tomcat JSSE",
                (v, c) -> rateTarget(v, c, "tls13-resumed", "jsse", 1.6)));
        rows.add(new TargetRow("TLS 1.3: ≥ 99% of the attempts to resume resumed",
                (v, c) -> shareTarget(v, c, "tls13-resumed")));
        rows.add(new TargetRow("TLS 1.2 resumed by session ID ≥ 0.7 × nginx",
                (v, c) -> rateTarget(v, c, "tls12-id", "nginx", 0.7)));
        rows.add(new TargetRow("TLS 1.2 resumed by ticket ≥ 0.7 × nginx",
                (v, c) -> rateTarget(v, c, "tls12-ticket", "nginx", 0.7)));
        rows.add(new TargetRow("TLS 1.2 resumed by session ID ≥ the Bouncy Castle engine",
                (v, c) -> rateTarget(v, c, "tls12-id", "reprise-bc", 1.0)));
        rows.add(new TargetRow("TLS 1.2 resumed by ticket ≥ the Bouncy Castle engine",
                (v, c) -> rateTarget(v, c, "tls12-ticket", "reprise-bc", 1.0)));
        rows.add(new TargetRow("TLS 1.2 full ≥ 0.8 × nginx", (v, c) -> rateTarget(v, c, "tls12-full", "nginx", 0.8)));
        rows.add(new TargetRow("TLS 1.3 full ≥ 0.8 × nginx", (v, c) -> rateTarget(v, c, "tls13-full", "nginx", 0.8)));
        rows.add(new TargetRow("Platform threads within 10% of virtual threads, every case (the case furthest apart)",
                this::poolTarget));
        for (String size : DATA_SIZES) {
            rows.add(new TargetRow("Data over one connection, " + Long.parseLong(size) / 1_000_000
                    + " MB responses ≥ 1.0 × JSSE",
                    (v, c) -> dataTarget(v, c, size)));
        }
        rows.add(new TargetRow("Resident memory flat (slope < " + ratio(SoakSeries.FLAT_MIB_PER_100K)
                + " MiB per 100,000 handshakes after warm-up)", this::soakTarget));
        rows.add(new TargetRow("Server CPU per TLS 1.3 resumption, beside nginx's (no target: the distance to the limit)",
                (v, c) -> cpuBeside(v, c, "tls13-resumed")));
        rows.add(new TargetRow("Server CPU per TLS 1.2 session-ID resumption, beside nginx's (no target)",
                (v, c) -> cpuBeside(v, c, "tls12-id")));
        return rows;
    }

    private Verdict rateTarget(String variant, String cert, String kase, String other, double target) {
        RunResults.Cell cell = results.cell("hs", variant, cert, kase);
        if (cell == null) {
            return Verdict.of("not measured", false);
        }
        double mine = rate(variant, cert, kase);
        if (Double.isNaN(mine)) {
            return Verdict.of(count(cell.median("rate")) + "/s, but only " + share(cell) + " resumed", false);
        }
        double theirs = rate(other, cert, kase);
        if (Double.isNaN(theirs)) {
            return new Verdict(count(mine) + "/s; " + SHORT_NAMES.get(other) + " not measured", null);
        }
        double r = mine / theirs;
        return Verdict.of(String.format(Locale.ROOT, "%s/s vs %s: %.2f ×", count(mine), count(theirs), r), r >= target);
    }

    private Verdict shareTarget(String variant, String cert, String kase) {
        RunResults.Cell cell = results.cell("hs", variant, cert, kase);
        if (cell == null) {
            return Verdict.of("not measured", false);
        }
        return Verdict.of(share(cell) + " (lowest run " + percent(cell.min("reused_share")) + ")",
                cell.min("reused_share") >= RESUMED_TARGET);
    }

    /** Platform threads against virtual threads: judged in the platform-thread column, the reference in the other. */
    private Verdict poolTarget(String variant, String cert) {
        if (variant.endsWith("-vt")) {
            return new Verdict("the reference", null);
        }
        String vt = variant + "-vt";
        if (results.unavailable(vt) != null) {
            return Verdict.of("virtual threads not available", false);
        }
        String worst = null;
        double worstRatio = Double.NaN;
        for (String c : CASES) {
            double r = rate(variant, cert, c) / rate(vt, cert, c);
            if (Double.isNaN(r)) {
                return Verdict.of(CASE_NAMES.get(c) + " not measured or not resumed", false);
            }
            if (worst == null || Math.abs(r - 1) > Math.abs(worstRatio - 1)) {
                worst = c;
                worstRatio = r;
            }
        }
        return Verdict.of(String.format(Locale.ROOT, "%s: %.2f ×", CASE_NAMES.get(worst), worstRatio),
                Math.abs(worstRatio - 1) <= 0.10);
    }

    private Verdict dataTarget(String variant, String cert, String size) {
        if (!cert.equals("ec")) {
            return new Verdict("measured with ECDSA only", null);
        }
        RunResults.Cell c = results.cell("tput", variant, "ec", size);
        if (c == null) {
            return Verdict.of("not measured", false);
        }
        double r = mbRatio(variant, size);
        RunResults.Cell jsse = results.cell("tput", "jsse", "ec", size);
        return Verdict.of(String.format(Locale.ROOT, "%.0f MB/s vs %s: %s ×", c.median("mb_per_s"),
                jsse == null ? "–" : String.format(Locale.ROOT, "%.0f", jsse.median("mb_per_s")), ratio(r)), r >= 1.0);
    }

    private Verdict soakTarget(String variant, String cert) {
        if (!cert.equals("ec")) {
            return new Verdict("measured with ECDSA only", null);
        }
        SoakSeries.Server s = soak.server(variant);
        double slope = s == null ? Double.NaN : s.slopeMibPer100k();
        if (s == null || Double.isNaN(slope)) {
            return Verdict.of("not measured", false);
        }
        SoakSeries.Server nginx = soak.server("nginx");
        double theirs = nginx == null ? Double.NaN : nginx.slopeMibPer100k();
        return Verdict.of(String.format(Locale.ROOT, "%+.2f MiB per 100,000 over %s handshakes%s%s", slope,
                count(s.handshakes()), s.end.equals("complete") ? "" : " (" + s.end + ")",
                Double.isNaN(theirs) ? "" : String.format(Locale.ROOT, "; nginx %+.2f", theirs)),
                slope < SoakSeries.FLAT_MIB_PER_100K);
    }

    private Verdict cpuBeside(String variant, String cert, String kase) {
        double mine = cpuMs(variant, cert, kase);
        double nginx = cpuMs("nginx", cert, kase);
        if (Double.isNaN(mine)) {
            return new Verdict("not measured", null);
        }
        return new Verdict(String.format(Locale.ROOT, "%.3f ms vs %s: %s ×", mine,
                Double.isNaN(nginx) ? "–" : String.format(Locale.ROOT, "%.3f ms", nginx), ratio(mine / nginx)), null);
    }

    private static String share(RunResults.Cell cell) {
        return percent(cell.median("reused_share"));
    }

    private static String percent(double d) {
        return Double.isNaN(d) ? "–" : String.format(Locale.ROOT, d >= 0.99 && d < 1 ? "%.2f%%" : "%.1f%%", 100 * d);
    }

    private void storeSize() {
        List<String> sizes = new ArrayList<>();
        for (String line : fill) {
            String n = line.split("\t")[1];
            if (!sizes.contains(n)) {
                sizes.add(n);
            }
        }
        if (sizes.isEmpty()) {
            return;
        }
        md.append("### 3. Resumed handshakes as the store grows (Reprise BC, TLS 1.2 session ID, ECDSA)\n\n"
                + "The store is filled with synthetic sessions through its own API before the server starts "
                + "taking connections; the client resumes its own sessions among them.\n\n"
                + "| sessions in the store | memory | change | PostgreSQL | change |\n|---:|---:|---:|---:|---:|\n");
        for (String n : sizes) {
            md.append("| ").append(count(parse(n))).append(" |");
            for (String store : List.of("memory", "postgres")) {
                RunResults.Cell cell = results.cell("scale", "reprise-bc", "ec", store + "-" + n);
                RunResults.Cell first = results.cell("scale", "reprise-bc", "ec", store + "-" + sizes.get(0));
                if (cell == null || first == null) {
                    md.append(" – | – |");
                    continue;
                }
                double change = cell.median("rate") / first.median("rate") - 1;
                md.append(String.format(Locale.ROOT, " **%s** (%s–%s) | %+.1f%% |", count(cell.median("rate")),
                        count(cell.min("rate")), count(cell.max("rate")), 100 * change));
                if (n.equals(sizes.get(sizes.size() - 1)) && sizes.size() > 1) {
                    target("Resumed rate falls < 10% from " + count(parse(sizes.get(0))) + " to " + count(parse(n))
                            + " sessions, " + store, 100 * change, change > -0.10, "%");
                }
            }
            md.append('\n');
        }
        md.append("\nFilling the stores:");
        for (String line : fill) {
            md.append(" ").append(line.split("\t", 3)[2]).append(';');
        }
        md.setLength(md.length() - 1);
        md.append(".\n\n");
    }

    private void storeOperations() {
        if (jmh.isEmpty()) {
            return;
        }
        md.append("### 4. Store operations (JMH)\n\n"
                + "`StoreBenchmark`: `retrieve` looks up a random one of 20,000 stored sessions (JDBC stores with a "
                + "one-entry cache, so the database answers); `store` saves a new session and waits until it is "
                + "written (a handshake only queues it). JMH sample mode; operations per second are the callers "
                + "over the mean time of one operation.\n\n"
                + "| store | operation | callers | operations per second | p50 µs | p99 µs |\n|---|---|---:|---:|---:|---:|\n");
        for (String store : List.of("memory", "h2", "postgres")) {
            for (String op : List.of("retrieve", "store")) {
                for (int callers : List.of(1, 8)) {
                    JsonNode sample = jmhResult(store, op, callers);
                    if (sample == null) {
                        continue;
                    }
                    JsonNode m = sample.path("primaryMetric");
                    double p50 = m.path("scorePercentiles").path("50.0").asDouble(Double.NaN);
                    double p99 = m.path("scorePercentiles").path("99.0").asDouble(Double.NaN);
                    // each caller runs back to back, so the rate is the callers over the mean time
                    String ops = count(callers * 1e6 / m.path("score").asDouble(Double.NaN));
                    md.append("| ").append(store).append(" | ").append(op).append(" | ").append(callers).append(" | ")
                            .append(ops).append(" | ").append(micros(p50)).append(" | ").append(micros(p99)).append(" |\n");
                    if (store.equals("postgres") && op.equals("retrieve") && callers == 8) {
                        target("PostgreSQL retrieve p99 ≤ 2 ms, 8 callers", p99 / 1000, p99 <= 2000, " ms");
                    }
                }
            }
        }
        md.append('\n');
    }

    private @Nullable JsonNode jmhResult(String store, String op, int callers) {
        for (JsonNode n : jmh) {
            if (n.path("benchmark").asText().endsWith("." + op) && n.path("mode").asText().equals("sample")
                    && n.path("threads").asInt() == callers && n.path("params").path("store").asText().equals(store)) {
                return n;
            }
        }
        return null;
    }

    private void target(String what, double value, boolean met, String unit) {
        if (Double.isNaN(value)) {
            targets.add(new String[] {what, "not measured", "–"});
            return;
        }
        String shown = unit.equals("×") ? String.format(Locale.ROOT, "%.2f ×", value)
                : String.format(Locale.ROOT, "%.2f%s", value, unit);
        targets.add(new String[] {what, shown, met ? "met" : "**missed**"});
    }

    private void otherTargets() {
        if (targets.isEmpty()) {
            return;
        }
        md.append("**Earlier targets** (before issue 16; see the sections below)\n\n"
                + "| target | measured | |\n|---|---:|---|\n");
        for (String[] t : targets) {
            md.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]).append(" |\n");
        }
        md.append('\n');
    }

    static String name(String variant) {
        return VARIANT_NAMES.getOrDefault(variant, variant);
    }

    static String count(double d) {
        return Double.isNaN(d) ? "–" : String.format(Locale.ROOT, "%,.0f", d);
    }

    private static String micros(double d) {
        return Double.isNaN(d) ? "–" : String.format(Locale.ROOT, d < 10 ? "%.2f" : "%.0f", d);
    }

    private static String ratio(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? "–" : String.format(Locale.ROOT, "%.2f", d);
    }

    private static String ratio(double a, double b) {
        return ratio(a / b);
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
