package org.niovirt.benchmarks;

import java.nio.file.Path;
import java.util.Arrays;
import org.niovirt.detect.HostDetector;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The detection figures of {@code benchmarks/compare.sh} in one JVM: median milliseconds of a warm
 * detect and of the floor ({@link DetectionBenchmark#readOnceEachPath}), after warm-up. With
 * {@code --once} it detects once and exits; with {@code --none} it starts and exits without
 * detecting; both warm the detector up first (so the difference of the script's two strace counts is
 * one warm detect, not the JIT compiling it).
 *
 * <p>Arguments: TREE [--once|--none].
 */
public final class DetectTimer {
  private static final int WARMUP = 30;
  private static final int RUNS = 21;

  private DetectTimer() {}

  public static void main(String[] args) throws Exception {
    Path tree = Path.of(args[0]);
    String mode = args.length > 1 ? args[1] : "";
    if (mode.equals("--none") || mode.equals("--once")) {
      // Both warm up alike; --once then detects one more time. The script's strace counts of the
      // two runs differ by one warm detect, not by the JIT compiling the detector.
      for (int i = 0; i < WARMUP; i++) {
        HostDetector.forRoot(tree).detect();
      }
      if (mode.equals("--once")) {
        System.out.println("cards " + HostDetector.forRoot(tree).detect().cards().size());
      }
      return;
    }
    DetectTrees.Paths paths = DetectTrees.readByTheDetector(tree);
    Blackhole sink = new Blackhole(
        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    System.out.printf("detect_ms %.3f%n", median(() -> HostDetector.forRoot(tree).detect()));
    System.out.printf("floor_ms %.3f%n", median(() -> {
      DetectTrees.readOnce(tree, paths, sink::consume);
      return paths;
    }));
    sink.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
  }

  @FunctionalInterface
  private interface Work {
    Object run() throws Exception;
  }

  private static double median(Work work) throws Exception {
    for (int i = 0; i < WARMUP; i++) {
      work.run();
    }
    double[] millis = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      work.run();
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(millis);
    return millis[RUNS / 2];
  }
}
