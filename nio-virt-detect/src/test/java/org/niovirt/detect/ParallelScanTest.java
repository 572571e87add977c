package org.niovirt.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.model.HostInventory;

/**
 * A scan shared among threads finds what a scan on one thread finds, every time, and still reads
 * each file and link once: on a generated 200-function tree (the benchmarks' generator, d1's kinds
 * of devices), big enough that listing, IOMMU groups, classification and ports all go parallel.
 */
class ParallelScanTest {
  private static final Path GENERATOR = Path.of("../benchmarks/tools/gen-sysfs-tree.py");
  @TempDir static Path trees;
  private static Path tree;

  @BeforeAll
  static void generate() throws IOException, InterruptedException {
    tree = trees.resolve("host-200");
    Process generator = new ProcessBuilder("python3", GENERATOR.toString(), tree.toString(), "200")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(generator.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(generator.exitValue()).as("the tree generator").isZero();
  }

  @AfterEach
  void parallelAgain() {
    Parallel.enable(true);
  }

  private static HostInventory detect(boolean parallel) {
    Parallel.enable(parallel);
    return HostDetector.forRoot(tree).withoutPciIds().detect();
  }

  @Test
  void everyParallelScanEqualsTheScanOnOneThread() {
    HostInventory oneThread = detect(false);
    assertThat(oneThread.cards()).as("ports of the generated tree").hasSizeGreaterThan(4);
    assertThat(oneThread.iommu().groups()).hasSizeGreaterThan(Parallel.MIN_ITEMS);
    long ports = oneThread.functions().count();
    assertThat(ports).as("enough ports to read them in parallel").isGreaterThanOrEqualTo(8);

    for (int run = 0; run < 5; run++) {
      assertThat(detect(true)).as("parallel scan " + run).isEqualTo(oneThread);
    }
  }

  @Test
  void aParallelScanStillReadsEachFileAndLinkOnce() {
    Parallel.enable(true);
    CountingSource counting = new CountingSource(new FileSystemSource(tree));
    HostDetector.forSource(counting, tree.toString()).withoutPciIds().detect();

    assertThat(more(counting.reads)).as("files read twice").isEmpty();
    assertThat(more(counting.linkReads)).as("links read twice").isEmpty();
  }

  @Test
  void aSnapshotOfAParallelScanGivesTheSameInventory() {
    HostInventory live = detect(true);
    Path snapshot = trees.resolve("host-200.tar.gz");
    HostSnapshot.capture(tree, snapshot);

    HostInventory replayed = HostDetector.forSnapshot(snapshot).withoutPciIds().detect();

    assertThat(replayed.cards()).isEqualTo(live.cards());
    assertThat(replayed.iommu()).isEqualTo(live.iommu());
    assertThat(replayed.diagnostics()).isEqualTo(live.diagnostics());
  }

  private static Map<String, Integer> more(Map<String, Integer> counts) {
    return counts.entrySet().stream().filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
