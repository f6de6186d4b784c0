package org.reprise.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The resident-memory soak of one bin/bench run ({@code soak.tsv}): for each server, its resident size
 * sampled every few seconds while a client drives handshakes. Lines are
 * {@code sample VARIANT HANDSHAKES RSS_KB SECONDS warm|run} (handshakes completed so far, the server's
 * VmRSS) and one {@code end VARIANT complete|capped|failed|unavailable DETAIL} per server.
 */
final class SoakSeries {

    /** A slope below this many MiB per 100,000 handshakes counts as flat. */
    static final double FLAT_MIB_PER_100K = 1.0;

    /** One server's samples after its warm-up, and how its soak ended. */
    static final class Server {
        final List<double[]> samples = new ArrayList<>(); // {handshakes, RSS in MiB, seconds}
        String end = "failed";
        String detail = "";
        long warmUp;
        private double @Nullable [] lastWarm;

        /** @return the last sample of the warm-up (the first after it when there was none), or null */
        double @Nullable [] first() {
            return samples.isEmpty() ? null : samples.get(0);
        }

        /** @return the last sample, or null */
        double @Nullable [] last() {
            return samples.isEmpty() ? null : samples.get(samples.size() - 1);
        }

        /** @return the largest resident size after the warm-up in MiB, or NaN */
        double maxMib() {
            return samples.stream().mapToDouble(s -> s[1]).max().orElse(Double.NaN);
        }

        /** @return handshakes between the first and the last sample after the warm-up */
        double handshakes() {
            double[] a = first();
            double[] b = last();
            return a == null || b == null ? 0 : b[0] - a[0];
        }

        /**
         * @return the least-squares slope of the resident size over the handshakes after the warm-up, in MiB
         *     per 100,000 handshakes; NaN with fewer than two samples. A fitted line rather than end minus
         *     start, so that one sample taken during a collection or a burst of thread stacks does not decide.
         */
        double slopeMibPer100k() {
            int n = samples.size();
            if (n < 2) {
                return Double.NaN;
            }
            double mx = samples.stream().mapToDouble(s -> s[0]).average().orElseThrow();
            double my = samples.stream().mapToDouble(s -> s[1]).average().orElseThrow();
            double sxy = 0;
            double sxx = 0;
            for (double[] s : samples) {
                sxy += (s[0] - mx) * (s[1] - my);
                sxx += (s[0] - mx) * (s[0] - mx);
            }
            return sxx == 0 ? Double.NaN : 100_000 * sxy / sxx;
        }
    }

    private final Map<String, Server> servers = new LinkedHashMap<>();

    static SoakSeries read(Path file) throws IOException {
        SoakSeries series = new SoakSeries();
        if (!Files.exists(file)) {
            return series;
        }
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t");
            if (f.length >= 6 && f[0].equals("sample")) {
                Server s = series.servers.computeIfAbsent(f[1], k -> new Server());
                double[] sample = {Double.parseDouble(f[2]), Double.parseDouble(f[3]) / 1024, Double.parseDouble(f[4])};
                if (f[5].equals("run")) {
                    // the warm-up's last sample is where the counted handshakes start
                    if (s.samples.isEmpty() && s.lastWarm != null) {
                        s.samples.add(s.lastWarm);
                    }
                    s.samples.add(sample);
                } else {
                    s.lastWarm = sample;
                    s.warmUp = Long.parseLong(f[2]);
                }
            } else if (f.length >= 3 && f[0].equals("end")) {
                Server s = series.servers.computeIfAbsent(f[1], k -> new Server());
                s.end = f[2];
                s.detail = f.length > 3 ? f[3] : "";
            }
        }
        return series;
    }

    /** @return the servers of the soak, in run order */
    Map<String, Server> servers() {
        return servers;
    }

    /** @return one server's soak, or null when it had none */
    @Nullable Server server(String variant) {
        return servers.get(variant);
    }
}
