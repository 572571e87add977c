package org.niovirt.benchmarks;

import java.util.Arrays;

/**
 * The planner figure of {@code benchmarks/compare.sh}: median milliseconds of one
 * {@link PlannerBenchmark#planAll()} of 10,000 single-NIC guests on 64 PFs with 64 VFs each, after
 * warm-up, in this JVM. Prints {@code planner_10k_ms}.
 */
public final class PlannerTimer {
  private static final int WARMUP = 20;
  private static final int RUNS = 21;

  private PlannerTimer() {}

  public static void main(String[] args) {
    PlannerBenchmark bench = new PlannerBenchmark();
    bench.nics = 10_000;
    bench.pfs = 64;
    bench.setUp();
    double[] millis = new double[RUNS];
    for (int i = 0; i < WARMUP + RUNS; i++) {
      long start = System.nanoTime();
      bench.planAll();
      if (i >= WARMUP) {
        millis[i - WARMUP] = (System.nanoTime() - start) / 1e6;
      }
    }
    Arrays.sort(millis);
    System.out.printf("planner_10k_ms %.1f%n", millis[RUNS / 2]);
  }
}
