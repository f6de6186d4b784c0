/**
 * What {@code bin/bench} runs: {@link org.reprise.bench.BenchServer} (the Tomcat servers under test),
 * {@link org.reprise.bench.StoreBenchmark} (JMH, store latencies) and {@link org.reprise.bench.BenchReport}
 * (the tables in BENCHMARKS.md and the chart). None of it is part of Reprise's API.
 */
@NullMarked
package org.reprise.bench;

import org.jspecify.annotations.NullMarked;
