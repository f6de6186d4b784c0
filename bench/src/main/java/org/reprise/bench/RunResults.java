package org.reprise.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The raw figures of one bin/bench run ({@code results.tsv}: one line per client run, as
 * {@code kind variant cert case run key=value...}), grouped into cells of repeated runs.
 */
final class RunResults {

    /** The repeated runs of one figure: one server variant, certificate and case. */
    static final class Cell {
        final List<Map<String, String>> runs = new ArrayList<>();

        /** @return the median of a numeric field over the runs, or NaN when no run has it */
        double median(String field) {
            double[] v = values(field);
            if (v.length == 0) {
                return Double.NaN;
            }
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }

        double min(String field) {
            double[] v = values(field);
            return v.length == 0 ? Double.NaN : v[0];
        }

        double max(String field) {
            double[] v = values(field);
            return v.length == 0 ? Double.NaN : v[v.length - 1];
        }

        /**
         * @return sorted values of a field; derived fields: {@code client_cpu}, {@code server_cpu_share},
         *     {@code reused_share} (resumed over the attempts that offered a session; over all handshakes for a
         *     client that did not report its attempts) and {@code server_cpu_ms} (server CPU per handshake)
         */
        double[] values(String field) {
            return runs.stream().mapToDouble(r -> value(r, field)).filter(d -> !Double.isNaN(d)).sorted().toArray();
        }

        private static double value(Map<String, String> run, String field) {
            double seconds = number(run, "seconds");
            return switch (field) {
                case "client_cpu" -> (number(run, "cpu_user") + number(run, "cpu_sys")) / seconds;
                case "server_cpu_share" -> number(run, "server_cpu") / seconds;
                case "reused_share" -> number(run, "reused")
                        / (run.containsKey("offered") ? number(run, "offered") : number(run, "handshakes"));
                case "server_cpu_ms" -> 1000 * number(run, "server_cpu") / number(run, "handshakes");
                default -> number(run, field);
            };
        }

        private static double number(Map<String, String> run, String field) {
            String v = run.get(field);
            if (v == null) {
                return Double.NaN;
            }
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }

        /** @return a text field of the last run, or "" */
        String text(String field) {
            return runs.isEmpty() ? "" : runs.get(runs.size() - 1).getOrDefault(field, "");
        }
    }

    private final Map<String, Cell> cells = new LinkedHashMap<>();
    private final Map<String, String> unavailable = new LinkedHashMap<>();
    private final List<String> variants = new ArrayList<>();

    static RunResults read(Path file) throws IOException {
        RunResults r = new RunResults();
        for (String line : Files.readAllLines(file)) {
            String[] cols = line.split("\t");
            if (cols.length < 6) {
                continue;
            }
            if (cols[0].equals("unavailable")) {
                r.unavailable.put(cols[1], cols[5]);
                r.addVariant(cols[1]);
                continue;
            }
            r.addVariant(cols[1]);
            Map<String, String> run = new LinkedHashMap<>();
            for (String col : Arrays.asList(cols).subList(5, cols.length)) {
                for (String pair : col.split(" ")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        run.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
            }
            r.cells.computeIfAbsent(key(cols[0], cols[1], cols[2], cols[3]), k -> new Cell()).runs.add(run);
        }
        return r;
    }

    private void addVariant(String variant) {
        if (!variants.contains(variant)) {
            variants.add(variant);
        }
    }

    private static String key(String kind, String variant, String cert, String kase) {
        return kind + "/" + variant + "/" + cert + "/" + kase;
    }

    /** @return the cell, or null when that figure was not measured */
    @Nullable Cell cell(String kind, String variant, String cert, String kase) {
        return cells.get(key(kind, variant, cert, kase));
    }

    /** @return every server variant of the run, in run order, available or not */
    List<String> variants() {
        return variants;
    }

    /** @return why the variant did not run, or null if it did */
    @Nullable String unavailable(String variant) {
        return unavailable.get(variant);
    }

    /** @return whether any figure of this kind and certificate was measured */
    boolean has(String kind, String cert) {
        return cells.keySet().stream().anyMatch(k -> k.startsWith(kind + "/") && k.split("/")[2].equals(cert));
    }
}
