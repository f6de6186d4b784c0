package org.reprise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
