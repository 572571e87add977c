package org.niovirt.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.HostInventory;

/**
 * Trees and archives made to hurt: every read is capped, archives are checked before anything is
 * buffered, and text from the tree never reaches a terminal unescaped.
 */
class HostileInputTest {
  private static final String PF = SyntheticTreesTest.PF;
  @TempDir Path temp;
  TreeEditor d1;

  @BeforeEach
  void copyD1() {
    d1 = new TreeEditor(Captures.unpack(Captures.D1, temp.resolve("d1")));
  }

  private HostInventory detect(Path root) {
    return HostDetector.forRoot(root).withPciIds(Captures.pciIds()).detect();
  }

  @Test
  void aSparseThreeGigabyteAttributeIsADiagnosticNotACrash() throws Exception {
    try (RandomAccessFile file = new RandomAccessFile(d1.at(PF + "/sriov_totalvfs").toFile(), "rw")) {
      file.setLength(3L << 30);
    }

    HostInventory inventory = detect(d1.root);

    assertThat(allDiagnostics(inventory))
        .anyMatch(m -> m.startsWith("sriov_totalvfs: unreadable") && m.contains("larger than 64 KiB"));
    HostSnapshot snapshot = HostSnapshot.capture(d1.root, temp.resolve("snap.tar.gz"));
    assertThat(Files.size(snapshot.output())).isLessThan(1 << 20);
  }

  @Test
  void controlCharactersFromTheTreeAreEscapedInTablesAndDiagnostics() {
    String evil = "\u001b[31mevil\u0007";
    d1.writeBytes(PF + "/sriov_totalvfs", new byte[] {0x01, 0x1b, '[', '2', 'J'});
    try {
      Files.move(d1.at(PF + "/net/eth3"), d1.at(PF + "/net/" + evil));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }

    HostInventory inventory = detect(d1.root);
    String table = InventoryTable.render(inventory);

    assertThat(table).doesNotContain("\u001b").doesNotContain("\u0007").contains("\\x1b[31mevil\\x07");
    assertThat(table).contains("sriov_totalvfs: expected a decimal number, read '\\x01\\x1b[2J'");
  }

  @Test
  void aPfWithLiveVfsButAnUnreadableTotalKeepsItsVfs() {
    d1.write(PF + "/sriov_totalvfs", "garbage\n");

    HostInventory inventory = detect(d1.root);

    assertThat(inventory.function(org.niovirt.api.model.PciAddress.parse("0000:01:00.0")).orElseThrow()
        .sriov()).hasValueSatisfying(sriov -> {
          assertThat(sriov.numVfs()).isEqualTo(2);
          assertThat(sriov.totalVfs()).isEqualTo(2);
        });
  }

  @Test
  void aFunctionInAPciDomainWiderThanFourDigitsIsDetected() throws Exception {
    Path e1000e = d1.at("sys/bus/pci/devices/0000:02:00.1").toRealPath();
    TreeEditor.copy(e1000e, d1.at("sys/devices/pci10000:00/10000:00:04.0"));
    d1.delete("sys/devices/pci10000:00/10000:00:04.0/net");
    d1.link("sys/bus/pci/devices/10000:00:04.0", "../../../devices/pci10000:00/10000:00:04.0");

    HostInventory inventory = detect(d1.root);

    assertThat(inventory.function(org.niovirt.api.model.PciAddress.parse("10000:00:04.0"))).isPresent();
    assertThat(allDiagnostics(inventory)).noneMatch(m -> m.contains("not a PCI address"));
  }

  private static java.util.List<String> allDiagnostics(HostInventory inventory) {
    java.util.List<String> all = new java.util.ArrayList<>();
    inventory.diagnostics().forEach(d -> all.add(d.message()));
    inventory.functions().forEach(f -> all.addAll(f.diagnostics()));
    return all;
  }

  @Test
  void aGzipOfPlainTextIsNotATarArchive() throws Exception {
    Path text = temp.resolve("notes.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(text))) {
      out.write("just some notes, no tar here\n".repeat(40).getBytes(StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> HostDetector.open(text).detect())
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.field()).isEqualTo("snapshot");
          assertThat(e.getMessage()).contains("not a tar archive");
        });
  }

  @Test
  void aPaxHeaderHoldingAGigabyteIsRefusedBeforeItIsRead() throws Exception {
    Path archive = temp.resolve("pax-bomb.tar.gz");
    long valueSize = 1L << 30;
    String record = (valueSize + 16) + " path=";
    try (OutputStream out = gzip(archive)) {
      out.write(header("PaxHeaders/x", valueSize + 16, 'x'));
      out.write(record.getBytes(StandardCharsets.US_ASCII));
      byte[] zeros = new byte[1 << 20];
      for (long written = record.length(); written < valueSize + 16; written += zeros.length) {
        out.write(zeros, 0, (int) Math.min(zeros.length, valueSize + 16 - written));
      }
    }
    assertThat(Files.size(archive)).as("compressed size").isLessThan(8L << 20);

    assertThatThrownBy(() -> HostDetector.open(archive).detect())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("extended (PAX or long-name) header of 1073741840 bytes");
  }

  @Test
  void tooManyEntriesAreRefused() throws Exception {
    Path archive = temp.resolve("many.tar.gz");
    byte[] empty = header("e", 0, '0');
    try (OutputStream out = gzip(archive)) {
      for (long i = 0; i <= SnapshotSource.MAX_ENTRIES; i++) {
        out.write(empty);
      }
    }
    assertThatThrownBy(() -> HostDetector.open(archive).detect())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("holds more than " + SnapshotSource.MAX_ENTRIES + " entries");
  }

  private static OutputStream gzip(Path file) throws IOException {
    return new GZIPOutputStream(Files.newOutputStream(file), 1 << 16) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    };
  }

  /** A ustar header block with a correct checksum. */
  private static byte[] header(String name, long size, char type) {
    byte[] block = new byte[512];
    put(block, 0, name);
    put(block, 100, "0000644");
    put(block, 108, "0000000");
    put(block, 116, "0000000");
    put(block, 124, String.format("%011o", size));
    put(block, 136, "00000000000");
    block[156] = (byte) type;
    put(block, 257, "ustar");
    put(block, 263, "00");
    Arrays.fill(block, 148, 156, (byte) ' ');
    int sum = 0;
    for (byte b : block) {
      sum += b & 0xff;
    }
    put(block, 148, String.format("%06o", sum));
    block[154] = 0;
    return block;
  }

  private static void put(byte[] block, int offset, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, block, offset, bytes.length);
  }
}
