package org.niovirt.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.niovirt.api.model.HostInventory;
import org.niovirt.detect.HostDetector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How long a warm {@link HostDetector#detect()} takes on a generated host tree of N PCI functions
 * ({@code benchmarks/tools/gen-sysfs-tree.py}, the d1 capture's kinds of devices scaled up), next to
 * the floor: reading once each file, link and directory that the detector read (the paths a
 * snapshot of the same tree holds). The ratio detect / floor is the detector's overhead over the
 * I/O it cannot avoid; both run in this JVM on the same page-cached tree.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar DetectionBenchmark -p functions=1000}.
 * Trees go to {@code -Dniovirt.bench.dir} (default {@code /dev/shm}, about 0.37 MB per function).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class DetectionBenchmark {
  @Param({"100", "1000", "5000"})
  public int functions;

  private Path tree;
  private DetectTrees.Paths paths;

  @Setup
  public void generate() throws IOException, InterruptedException {
    tree = DetectTrees.tree(Path.of(System.getProperty("niovirt.bench.dir", "/dev/shm")), functions);
    paths = DetectTrees.readByTheDetector(tree);
  }

  /** The whole detection, as {@code nio-virt inventory} runs it (pci.ids names included). */
  @Benchmark
  public HostInventory detect() {
    return HostDetector.forRoot(tree).detect();
  }

  /** The floor: each path the detector read, read once, with nothing else done. */
  @Benchmark
  public void readOnceEachPath(Blackhole sink) throws IOException {
    DetectTrees.readOnce(tree, paths, sink::consume);
  }
}
