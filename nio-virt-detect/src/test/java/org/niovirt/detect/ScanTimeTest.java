package org.niovirt.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.niovirt.api.model.HostInventory;

/**
 * Prints how long a scan takes (for the record, not as a pass/fail limit: the machine is shared)
 * and checks that repeated scans of one tree agree.
 */
class ScanTimeTest {
  private static final int RUNS = 11;

  private static long medianMicros(HostDetector detector, HostInventory expected) {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      HostInventory inventory = detector.detect();
      times.add((System.nanoTime() - start) / 1000);
      assertThat(inventory).isEqualTo(expected);
    }
    Collections.sort(times);
    return times.get(RUNS / 2);
  }

  @Test
  void scansOfTheCapturesAndOfThisHostAreRepeatableAndTimed() {
    long pciIdsStart = System.nanoTime();
    PciIds system = PciIds.system();
    System.out.printf("pci.ids (%s) parsed in %d ms%n", system.origin(),
        (System.nanoTime() - pciIdsStart) / 1_000_000);
    long coldStart = System.nanoTime();
    Captures.detect(Captures.D1);
    System.out.printf("first scan in this JVM (d1, cold, tar.gz): %d ms%n",
        (System.nanoTime() - coldStart) / 1_000_000);
    for (int i = 0; i < 5; i++) { // warm up the JIT so that the medians compare the trees
      for (String capture : Captures.ALL) {
        Captures.detect(capture);
      }
    }
    for (String capture : Captures.ALL) {
      HostDetector fromSnapshot = HostDetector.forSnapshot(Captures.tarGz(capture)).withPciIds(Captures.pciIds());
      Path directory = Captures.scratchDirectory();
      try {
        HostDetector fromDirectory =
            HostDetector.forRoot(Captures.unpack(capture, directory)).withPciIds(Captures.pciIds());
        HostInventory expected = fromSnapshot.detect();
        long snapshotMicros = medianMicros(fromSnapshot, expected);
        long directoryMicros = medianMicros(fromDirectory, fromDirectory.detect());
        System.out.printf("scan %-24s median of %d: %6d us from the tar.gz in memory, %6d us unpacked%n",
            capture, RUNS, snapshotMicros, directoryMicros);
      } finally {
        TreeEditor.deleteRecursively(directory);
      }
    }
    HostDetector thisHost = HostDetector.forThisHost();
    HostInventory first = thisHost.detect();
    System.out.printf("scan %-24s median of %d: %6d us%n", "/ (this host)", RUNS,
        medianMicros(thisHost, first));
  }
}
