package org.niovirt.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkFunction;

/**
 * Damaged copies of the real captures, made in a temp dir: garbage, empty or binary files, missing
 * files, dangling and looping symlinks, directories where files belong, a device deleted in the
 * middle of the scan. The scan never throws and the damaged device gets a diagnostic.
 */
class DamagedTreesPropertyTest {
  private static Path pristineRoot;
  /** Capture → everything its clean scan touched (files, links, listed directories). */
  private static final Map<String, List<String>> TOUCHED = new HashMap<>();
  /** Capture → resolved directory of each port (network function that is not a VF). */
  private static final Map<String, Map<String, String>> PORT_DIRECTORIES = new HashMap<>();

  enum DamageKind { GARBAGE, EMPTY, BINARY, DELETE, DANGLING_LINK, LOOPING_LINK, DIRECTORY }

  static final class Damage {
    final DamageKind kind;
    final int target;

    Damage(DamageKind kind, int target) {
      this.kind = kind;
      this.target = target;
    }

    void applyTo(TreeEditor tree, List<String> touched) {
      String path = touched.get(target % touched.size());
      Path parent = tree.at(path).getParent();
      if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
        return; // an earlier damage already removed or replaced a directory above it
      }
      switch (kind) {
        case GARBAGE: tree.delete(path).write(path, "abc\n"); break;
        case EMPTY: tree.delete(path).write(path, ""); break;
        case BINARY:
          tree.delete(path).write(path, "").writeBytes(path, new byte[] {(byte) 0xff, 0, '\n', (byte) 0xc3});
          break;
        case DELETE: tree.delete(path); break;
        case DANGLING_LINK: tree.link(path, "nowhere-" + target); break;
        case LOOPING_LINK: tree.link(path, tree.at(path).getFileName().toString()); break;
        case DIRECTORY: tree.delete(path).mkdirs(path); break;
        default: throw new IllegalStateException(kind.toString());
      }
    }

    @Override
    public String toString() {
      return kind + "@" + target;
    }
  }

  /**
   * Each capture reduced to what its scan reads (its snapshot, which reads back to the same
   * inventory: see HostSnapshotTest), in memory when possible: every try copies a tree, and a
   * quarter of the files in memory keeps the properties fast.
   */
  @BeforeContainer
  static void unpackTheCaptures() throws IOException {
    pristineRoot = Captures.scratchDirectory();
    for (String capture : Captures.ALL) {
      Path snapshot = pristineRoot.resolve(capture + ".tar.gz");
      HostSnapshot.capture(Captures.tarGz(capture), snapshot);
      Path root = Captures.unpackFile(snapshot, pristineRoot.resolve(capture));
      RecordingSource recorder = new RecordingSource(new FileSystemSource(root));
      HostInventory clean = HostDetector.forSource(recorder, capture).withoutPciIds().detect();
      TreeSet<String> touched = new TreeSet<>(recorder.files.keySet());
      touched.addAll(recorder.links.keySet());
      touched.addAll(recorder.directories);
      touched.remove("");
      TOUCHED.put(capture, new ArrayList<>(touched));
      Map<String, String> ports = new HashMap<>();
      RootedTree tree = new RootedTree(new FileSystemSource(root));
      for (NetworkFunction port : (Iterable<NetworkFunction>) clean.functions()::iterator) {
        ports.put(port.address().toString(), tree.resolve(Scan.PCI_DEVICES + "/" + port.address()));
      }
      PORT_DIRECTORIES.put(capture, ports);
    }
  }

  @AfterContainer
  static void deleteTheCopies() {
    TreeEditor.deleteRecursively(pristineRoot);
  }

  private static TreeEditor freshCopy(String capture) {
    try {
      return TreeEditor.copy(pristineRoot.resolve(capture),
          Files.createTempDirectory(pristineRoot, "try-").resolve("root"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HostInventory scan(TreeEditor tree) {
    try {
      return HostDetector.forRoot(tree.root).withoutPciIds().detect();
    } finally {
      TreeEditor.deleteRecursively(tree.root);
    }
  }

  /** The address of one of the capture's ports, chosen by an arbitrary index. */
  private static String port(String capture, int index) {
    List<String> ports = new ArrayList<>(new TreeSet<>(PORT_DIRECTORIES.get(capture).keySet()));
    return ports.get(index % ports.size());
  }

  @Provide
  Arbitrary<String> captures() {
    return Arbitraries.of(Captures.ALL);
  }

  @Provide
  Arbitrary<Damage> damages() {
    return Combinators.combine(Arbitraries.of(DamageKind.class), Arbitraries.integers().between(0, 100_000))
        .as(Damage::new);
  }

  @Property(tries = 50)
  void anyDamageToTheFilesTheScanReadsNeverAbortsTheScan(
      @ForAll("captures") String capture,
      @ForAll @Size(min = 1, max = 4) List<@From("damages") Damage> damages) {
    TreeEditor tree = freshCopy(capture);
    damages.forEach(d -> d.applyTo(tree, TOUCHED.get(capture)));

    HostInventory inventory = scan(tree);

    assertThat(InventoryJson.toJsonText(inventory)).contains("\"schemaVersion\"");
    assertThat(InventoryTable.render(inventory)).contains("IOMMU GROUPS");
  }

  @Property(tries = 30)
  void garbageInAnAttributeOfAPortGivesThatPortADiagnosticNamingTheFile(
      @ForAll("captures") String capture,
      @ForAll("attributes") String attribute,
      @ForAll @IntRange(min = 0, max = 1000) int portIndex) {
    String address = port(capture, portIndex);
    String directory = PORT_DIRECTORIES.get(capture).get(address);
    TreeEditor tree = freshCopy(capture);
    if (!Files.exists(tree.at(directory + "/" + attribute))) {
      TreeEditor.deleteRecursively(tree.root);
      return; // e.g. sriov_totalvfs of a port without SR-IOV: nothing to damage
    }
    tree.write(directory + "/" + attribute, "abc\n");

    HostInventory inventory = scan(tree);

    assertThat(SyntheticTreesTest.diagnosticsOf(inventory, address))
        .anyMatch(message -> message.startsWith(attribute + ": "));
  }

  @Provide
  Arbitrary<String> attributes() {
    return Arbitraries.of("class", "vendor", "device", "numa_node", "sriov_totalvfs",
        "sriov_numvfs", "sriov_offset", "sriov_stride", "current_link_width");
  }

  @Property(tries = 25)
  void aPortWhoseLinkDanglesOrLoopsGetsADiagnostic(
      @ForAll("captures") String capture,
      @ForAll @IntRange(min = 0, max = 1000) int portIndex,
      @ForAll boolean looping) {
    String address = port(capture, portIndex);
    TreeEditor tree = freshCopy(capture);
    String link = Scan.PCI_DEVICES + "/" + address;
    tree.link(link, looping ? address : "../../../devices/pci0000:00/gone-" + address);

    HostInventory inventory = scan(tree);

    assertThat(inventory.functions()).noneMatch(f -> f.address().toString().equals(address));
    assertThat(SyntheticTreesTest.diagnosticsOf(inventory, address))
        .anyMatch(message -> message.contains(looping ? "symlink loop" : "missing"));
  }

  @Property(tries = 25)
  void aPortDeletedInTheMiddleOfTheScanGetsADiagnostic(
      @ForAll("captures") String capture,
      @ForAll @IntRange(min = 0, max = 1000) int portIndex) {
    String address = port(capture, portIndex);
    String directory = PORT_DIRECTORIES.get(capture).get(address);
    TreeEditor tree = freshCopy(capture);
    // The kernel removes a hot-unplugged device's whole directory: here right after the first
    // file the scan reads from it.
    CountingSource source = new CountingSource(new FileSystemSource(tree.root)).afterRead(path -> {
      if (path.startsWith(directory + "/")) {
        TreeEditor.deleteRecursively(tree.at(directory));
      }
    });

    HostInventory inventory;
    try {
      inventory = HostDetector.forSource(source, capture).withoutPciIds().detect();
    } finally {
      TreeEditor.deleteRecursively(tree.root);
    }

    assertThat(SyntheticTreesTest.diagnosticsOf(inventory, address)).isNotEmpty();
  }
}
