package org.niovirt.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.HostInventory;

/** capture → read back gives the same inventory, from exactly the files the detector read. */
class HostSnapshotTest {
  Path temp;

  @org.junit.jupiter.api.BeforeEach
  void scratch() {
    temp = Captures.scratchDirectory();
  }

  @org.junit.jupiter.api.AfterEach
  void deleteTrees() {
    TreeEditor.deleteRecursively(temp);
  }

  /** Entry name → link target for links, "dir" for directories, "file" for files. */
  private static Map<String, String> entries(Path tarGz) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarGz)));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        entries.put(entry.getName(), entry.isSymbolicLink() ? "-> " + entry.getLinkName()
            : entry.isDirectory() ? "dir" : "file");
      }
    }
    return entries;
  }

  @ParameterizedTest
  @ValueSource(strings = {Captures.D1, Captures.D2, Captures.D3, Captures.D4, Captures.D5, Captures.D6})
  void aSnapshotOfAnUnpackedCaptureReadsBackToTheSameInventory(String capture) {
    Path root = Captures.unpack(capture, temp.resolve("root"));
    Path output = temp.resolve("snapshot.tar.gz");

    HostSnapshot snapshot = HostSnapshot.capture(HostDetector.forRoot(root).withPciIds(Captures.pciIds()), output);
    HostInventory readBack = HostDetector.forSnapshot(output).withPciIds(Captures.pciIds()).detect();
    HostInventory unpackedAgain = HostDetector.forRoot(Captures.unpackFile(output, temp.resolve("again")))
        .withPciIds(Captures.pciIds()).detect();

    assertThat(snapshot.output()).isEqualTo(output.toAbsolutePath());
    assertThat(readBack.source()).isEqualTo(output.toString());
    assertThat(Captures.withoutSource(readBack)).isEqualTo(Captures.withoutSource(snapshot.inventory()));
    assertThat(Captures.withoutSource(unpackedAgain)).isEqualTo(Captures.withoutSource(readBack));
    assertThat(Captures.withoutSource(readBack)).isEqualTo(Captures.withoutSource(Captures.detect(capture)));
  }

  @Test
  void theSnapshotHoldsTheFilesTheDetectorReadAndTheLinksOnTheWayAndNothingElse() throws IOException {
    Path root = Captures.unpack(Captures.D1, temp.resolve("root"));
    CountingSource counting = new CountingSource(new FileSystemSource(root));
    HostDetector.forSource(counting, "counted").detect();
    Path output = temp.resolve("d1.tar.gz");

    HostSnapshot snapshot = HostSnapshot.capture(root, output);
    Map<String, String> entries = entries(output);

    assertThat(snapshot.entryCount()).isEqualTo(entries.size());
    assertThat(entries).containsEntry("sys/bus/pci/devices/0000:01:00.0",
        "-> ../../../devices/pci0000:00/0000:00:04.0/0000:01:00.0");
    assertThat(entries).containsEntry("sys/devices/pci0000:00/0000:00:04.0/0000:01:00.0/virtfn1",
        "-> ../0000:01:10.2");
    assertThat(entries).containsEntry("sys/kernel/iommu_groups/8/devices/0000:02:00.1",
        "-> ../../../../devices/pci0000:00/0000:00:05.0/0000:02:00.1");
    assertThat(entries).containsEntry("sys/firmware/acpi/tables/DMAR", "file");
    assertThat(entries).containsEntry("sys/", "dir");
    assertThat(entries.values()).filteredOn(v -> v.startsWith("-> /")).as("absolute links").isEmpty();
    // Every file in the snapshot was read by the scan, and every file the scan read is there.
    Map<String, String> files = new TreeMap<>(entries);
    files.values().removeIf(kind -> !kind.equals("file"));
    assertThat(files.keySet()).containsExactlyInAnyOrderElementsOf(counting.reads.keySet());
    assertThat(entries.keySet()).noneMatch(name -> name.contains("/statistics/"))
        .noneMatch(name -> name.endsWith("/aer_dev_fatal"))
        .noneMatch(name -> name.startsWith("sys/kernel/irq/"));
  }

  @Test
  void aSnapshotOfThisHostReadsBackToTheSameInventory() {
    Path output = temp.resolve("host.tar.gz");

    HostSnapshot snapshot = HostSnapshot.capture(Path.of("/"), output);
    HostInventory readBack = HostDetector.forSnapshot(output).detect();

    assertThat(Captures.withoutSource(readBack)).isEqualTo(Captures.withoutSource(snapshot.inventory()));
    assertThat(HostDetector.open(output).description()).isEqualTo(output.toString());
  }

  @Test
  void anOutputInAMissingDirectoryIsAClearError() {
    Path output = temp.resolve("no/such/dir/x.tar.gz");
    assertThatThrownBy(() -> HostSnapshot.capture(Captures.tarGz(Captures.D2), output))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("output")
        .hasMessageContaining(output.toString())
        .hasMessageContaining("directory does not exist");
  }

  @Test
  void aSnapshotThatIsNoTarGzIsAClearError() throws IOException {
    Path notATar = Files.writeString(temp.resolve("x.tar.gz"), "hello");
    assertThatThrownBy(() -> HostDetector.forSnapshot(notATar))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("snapshot")
        .hasMessageContaining(notATar.toString())
        .hasMessageContaining("not a readable tar.gz");
    assertThatThrownBy(() -> HostDetector.forSnapshot(temp.resolve("missing.tar.gz")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no such file");
  }
}
