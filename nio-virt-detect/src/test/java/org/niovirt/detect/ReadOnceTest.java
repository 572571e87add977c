package org.niovirt.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each file (and each symlink) is read at most once per scan, however often a device is met. */
class ReadOnceTest {
  private static Map<String, Integer> readMoreThanOnce(Map<String, Integer> counts) {
    return counts.entrySet().stream()
        .filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  @ParameterizedTest
  @ValueSource(strings = {Captures.D1, Captures.D2, Captures.D3, Captures.D4, Captures.D5, Captures.D6})
  void everyFileOfACaptureIsReadAtMostOnce(String capture) {
    CountingSource counting =
        new CountingSource(HostDetector.forSnapshot(Captures.tarGz(capture)).source());
    HostDetector.forSource(counting, capture).withPciIds(Captures.pciIds()).detect();

    assertThat(counting.reads).as("files read").isNotEmpty();
    assertThat(readMoreThanOnce(counting.reads)).as("files read twice").isEmpty();
    assertThat(readMoreThanOnce(counting.linkReads)).as("links read twice").isEmpty();
    // A device met as a PF's VF and as an IOMMU group member is still read once: d1's VF class.
    if (capture.equals(Captures.D1)) {
      assertThat(counting.reads)
          .containsEntry("sys/devices/pci0000:00/0000:00:04.0/0000:01:10.0/class", 1)
          .containsEntry("sys/firmware/acpi/tables/DMAR", 1)
          .containsEntry("proc/net/route", 1);
    }
  }

  @org.junit.jupiter.api.Test
  void everyFileOfThisHostIsReadAtMostOnce() {
    CountingSource counting =
        new CountingSource(new FileSystemSource(Path.of("/")));
    HostDetector.forSource(counting, "/").withoutPciIds().detect();

    // /proc/net links to self/net and /proc/self to the reader's pid: proc/<pid>/net/route.
    assertThat(counting.reads.keySet()).anyMatch(path -> path.endsWith("/net/route"));
    assertThat(readMoreThanOnce(counting.reads)).isEmpty();
    assertThat(readMoreThanOnce(counting.linkReads)).isEmpty();
  }
}
