package org.reprise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    @TempDir
    Path dir;

    @Test
    void rewritesOnlyTheGeneratedRegion() throws IOException {
        Path md = dir.resolve("BENCHMARKS.md");
        Files.writeString(md, "# Benchmarks\n\nhand-written before\n\n" + BenchReport.BEGIN + "\nold figures\n"
                + BenchReport.END + "\n\n## Memory soak\n\nhand-written after\n");

        BenchReport.writeRegion(md, "new figures\n");

        assertEquals("# Benchmarks\n\nhand-written before\n\n" + BenchReport.BEGIN + "\nnew figures\n"
                + BenchReport.END + "\n\n## Memory soak\n\nhand-written after\n", Files.readString(md));
    }

    @Test
    void appendsTheRegionWhenTheMarkersAreMissing() throws IOException {
        Path md = dir.resolve("BENCHMARKS.md");
        Files.writeString(md, "# Benchmarks\n\nsomething else\n");

        BenchReport.writeRegion(md, "figures\n");

        assertEquals("# Benchmarks\n\nsomething else\n\n" + BenchReport.BEGIN + "\nfigures\n" + BenchReport.END + "\n",
                Files.readString(md));
    }

    @Test
    void figuresAreMediansOverRunsWithTheirRange() throws IOException {
        Path tsv = dir.resolve("results.tsv");
        Files.writeString(tsv, String.join("\n",
                "hs\tjsse\tec\ttls12-id\t1\thandshakes=300 seconds=1.0 rate=300 reused=300 cpu_user=0.1 cpu_sys=0.1\tserver_cpu=1.0",
                "hs\tjsse\tec\ttls12-id\t2\thandshakes=100 seconds=1.0 rate=100 reused=50 cpu_user=0.1 cpu_sys=0.1\tserver_cpu=1.0",
                "hs\tjsse\tec\ttls12-id\t3\thandshakes=200 seconds=2.0 rate=200 reused=200 cpu_user=0.3 cpu_sys=0.1\tserver_cpu=1.0",
                "unavailable\treprise-openssl\t-\t-\t-\tno JDK 22+",
                ""));

        RunResults results = RunResults.read(tsv);
        RunResults.Cell cell = results.cell("hs", "jsse", "ec", "tls12-id");

        assertEquals(200, cell.median("rate"));
        assertEquals(100, cell.min("rate"));
        assertEquals(300, cell.max("rate"));
        assertEquals(1.0, cell.median("reused_share"));
        assertEquals(0.2, cell.median("client_cpu"), 1e-9);
        assertEquals("no JDK 22+", results.unavailable("reprise-openssl"));
        assertNull(results.unavailable("jsse"));
        assertNull(results.cell("hs", "nginx", "ec", "tls12-id"));
    }

    @Test
    void reportsBothOpenSslConfigurationsAgainstNginxAndEachWarmUp() throws IOException {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("machine.tsv"), "date\t2026-12-01 00:00 UTC\nload_before\t0.10 0.10 0.10\n");
        StringBuilder tsv = new StringBuilder();
        for (String[] v : new String[][] {{"reprise-openssl", "500", "700"}, {"reprise-openssl-vt", "1000", "2100"},
            {"nginx", "1500", "3000"}}) {
            tsv.append("hs\t").append(v[0]).append("\tec\ttls12-full\t1\thandshakes=1 seconds=1 rate=").append(v[1])
                    .append(" reused=0 cpu_user=0.1 cpu_sys=0.1\tserver_cpu=1.0\n");
            tsv.append("hs\t").append(v[0]).append("\tec\ttls12-id\t1\thandshakes=1 seconds=1 rate=").append(v[2])
                    .append(" reused=1 cpu_user=0.1 cpu_sys=0.1\tserver_cpu=1.0\n");
        }
        Files.writeString(run.resolve("results.tsv"), tsv);
        Files.writeString(run.resolve("warmup.tsv"), "reprise-openssl-vt\tec\ttls12-full\t63\tsteady\n"
                + "reprise-openssl\tec\ttls12-full\t120\tcapped\n");
        Path md = dir.resolve("BENCHMARKS.md");

        BenchReport.main(new String[] {run.toString(), md.toString(), dir.resolve("chart.png").toString()});

        String text = Files.readString(md);
        assertTrue(text.contains("| Reprise, OpenSSL, virtual threads resumed ≥ 0.7 × nginx, TLS 1.2 resumed, session ID, "
                + "ECDSA P-256 | 0.70 × | met |"), text);
        assertTrue(text.contains("| Reprise, OpenSSL resumed ≥ 0.7 × nginx, TLS 1.2 resumed, session ID, ECDSA P-256 | "
                + "0.23 × | **missed** |"), text);
        assertTrue(text.contains("| Resumed ≥ 5 × full, Reprise, OpenSSL, virtual threads, TLS 1.2 resumed, session ID, "
                + "ECDSA P-256 | 2.10 × | **missed** |"), text);
        assertTrue(text.contains("Reprise, OpenSSL, virtual threads ec tls12-full 63 s; Reprise, OpenSSL ec tls12-full "
                + "120 s (capped)."), text);
        assertTrue(Files.size(dir.resolve("chart.png")) > 0);
    }
}
