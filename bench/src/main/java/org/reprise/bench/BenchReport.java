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
import org.jspecify.annotations.Nullable;

/**
 * Turns one bin/bench run into the generated part of BENCHMARKS.md (between {@link #BEGIN} and
 * {@link #END}; the rest of the file is kept as it is) and a PNG chart of the handshake rates.
 *
 * <pre>BenchReport RUN_DIR BENCHMARKS.md CHART.png</pre>
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

    private final RunResults results;
    private final Map<String, String> machine;
    private final List<JsonNode> jmh = new ArrayList<>();
    private final List<String> fill;
    private final List<String> warmUps;
    private final StringBuilder md = new StringBuilder();
    private final List<String[]> targets = new ArrayList<>();

    private BenchReport(Path run) throws IOException {
        results = RunResults.read(run.resolve("results.tsv"));
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

    /** @param args the run directory, BENCHMARKS.md, the chart's PNG file */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: BenchReport RUN_DIR BENCHMARKS.md CHART.png");
            System.exit(2);
        }
        BenchReport report = new BenchReport(Path.of(args[0]));
        Path chart = Path.of(args[2]);
        String region = report.render(chart.getFileName().toString());
        writeRegion(Path.of(args[1]), region);
        Files.createDirectories(chart.toAbsolutePath().getParent());
        HandshakeChart.write(report.results, chart, "Handshakes per second, ECDSA P-256 ("
                + report.machine.getOrDefault("date", "") + ")");
    }

    /** Replaces the generated region of the file (or appends one), keeping every other line. */
    static void writeRegion(Path file, String region) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
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

    String render(String chartName) {
        md.append("\n## Side by side (bin/bench, ").append(machine.getOrDefault("date", "?")).append(")\n\n");
        describeRun();
        handshakes();
        ratios();
        throughput();
        storeSize();
        storeOperations();
        targetTable();
        md.append("![Handshakes per second](docs/").append(chartName).append(")\n\n");
        return md.toString();
    }

    private void describeRun() {
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
                + "server CPU likewise for the server process.\n\n");
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
        if (!kase.endsWith("full") && cell.median("reused_share") < RESUMED_SHARE) {
            s += String.format(Locale.ROOT, "<br>only %.0f%% resumed", 100 * cell.median("reused_share"));
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
        md.append("### Ratios (medians)\n\n| certificate | handshake | Reprise BC / JSSE |");
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
                for (String v : OPENSSL) {
                    if (results.unavailable(v) == null && results.cell("hs", v, cert, c) != null
                            && results.cell("hs", "nginx", cert, c) != null) {
                        double r = rate(v, cert, c) / rate("nginx", cert, c);
                        target(name(v) + " resumed ≥ 0.7 × nginx, " + CASE_NAMES.get(c) + ", " + CERT_NAMES.get(cert),
                                r, r >= 0.7, "×");
                    }
                }
            }
        }
        for (String v : OPENSSL) {
            if (results.unavailable(v) != null) {
                targets.add(new String[] {name(v) + " resumed ≥ 0.7 × nginx", "not measured",
                    "engine not available: " + results.unavailable(v)});
            }
        }
    }

    private void throughput() {
        List<String> sizes = new ArrayList<>();
        for (String s : List.of("1000000", "100000000")) {
            if (results.cell("tput", "reprise-bc", "ec", s) != null) {
                sizes.add(s);
            }
        }
        if (sizes.isEmpty()) {
            return;
        }
        md.append("### 2. Data over one established connection (TLS 1.3, AES-128-GCM, ECDSA)\n\n"
                + "MB/s (10^6 bytes) of response body, `GET /bytes?n=SIZE` repeated on one keep-alive connection.\n\n"
                + "| response | Reprise, Bouncy Castle | " + TOMCAT + ", JSSE | Reprise / JSSE |\n|---|---:|---:|---:|\n");
        for (String s : sizes) {
            RunResults.Cell bc = results.cell("tput", "reprise-bc", "ec", s);
            RunResults.Cell jsse = results.cell("tput", "jsse", "ec", s);
            double r = bc == null || jsse == null ? Double.NaN : bc.median("mb_per_s") / jsse.median("mb_per_s");
            md.append("| ").append(Long.parseLong(s) / 1_000_000).append(" MB | ").append(mbCell(bc)).append(" | ")
                    .append(mbCell(jsse)).append(" | ").append(ratio(r)).append(" |\n");
            target("Reprise BC throughput ≥ 0.8 × JSSE, " + Long.parseLong(s) / 1_000_000 + " MB", r, r >= 0.8, "×");
        }
        md.append('\n');
    }

    private static String mbCell(RunResults.@Nullable Cell c) {
        return c == null ? "–" : String.format(Locale.ROOT,
                "**%.0f** (%.0f–%.0f), client CPU %.2f, server CPU %.2f, %.0f MB per server CPU second",
                c.median("mb_per_s"), c.min("mb_per_s"), c.max("mb_per_s"), c.median("client_cpu"),
                c.median("server_cpu_share"), c.median("mb_per_s") / c.median("server_cpu_share"));
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
        md.append("### 4. Resumed handshakes as the store grows (Reprise BC, TLS 1.2 session ID, ECDSA)\n\n"
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
        md.append("### 3. Store operations (JMH)\n\n"
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

    private void targetTable() {
        md.append("### Targets\n\n| target | measured | |\n|---|---:|---|\n");
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
