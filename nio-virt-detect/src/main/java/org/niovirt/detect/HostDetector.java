package org.niovirt.detect;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.HostInventory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link HostInventory} from what Linux exposes under a root directory: sysfs, procfs
 * and the ACPI tables, read-only. The root is {@code /} for this host or a captured tree; a
 * snapshot ({@link HostSnapshot}) is read the same way straight from its tar.gz.
 *
 * <p>A scan never throws on a damaged tree: what cannot be read becomes a diagnostic on the
 * affected device (or on the host for host-wide files), and every file is read at most once.
 * Instances are immutable and thread-safe; each {@link #detect()} is a new scan.
 */
public final class HostDetector {
  private static final Logger LOG = LoggerFactory.getLogger(HostDetector.class);
  private static final Path THIS_HOST = Path.of("/");

  private final Supplier<TreeSource> source;
  private final String description;
  private final Supplier<PciIds> names;

  private HostDetector(Supplier<TreeSource> source, String description, Supplier<PciIds> names) {
    this.source = source;
    this.description = description;
    this.names = names;
  }

  /** This host. */
  public static HostDetector forThisHost() {
    return forRoot(THIS_HOST);
  }

  /** A root directory: {@code /} or an unpacked capture. It must exist. */
  public static HostDetector forRoot(Path root) {
    if (root == null) {
      throw new InvalidInputException("root", null, "a directory is required, e.g. / for this host");
    }
    if (!Files.isDirectory(root)) {
      String expectation = Files.exists(root, LinkOption.NOFOLLOW_LINKS)
          ? "not a directory (a .tar.gz snapshot is read with forSnapshot or open)"
          : "no such directory";
      throw new InvalidInputException("root", root, expectation);
    }
    Path absolute = root.toAbsolutePath().normalize();
    // This host's VFs' administrative state is only known over netlink; a tree carries it as a file.
    TreeSource files = absolute.equals(THIS_HOST)
        ? new NetlinkLinkSource(new FileSystemSource(absolute)) : new FileSystemSource(absolute);
    return new HostDetector(() -> files, absolute.toString(), SystemPciIds::get);
  }

  /** A snapshot written by {@link HostSnapshot#capture}, or any tar.gz of a captured tree. */
  public static HostDetector forSnapshot(Path tarGz) {
    SnapshotSource snapshot = SnapshotSource.load(tarGz);
    return new HostDetector(() -> snapshot, tarGz.toString(), SystemPciIds::get);
  }

  /** A directory ({@link #forRoot}) or a regular file, taken as a snapshot ({@link #forSnapshot}). */
  public static HostDetector open(Path rootOrSnapshot) {
    if (rootOrSnapshot != null && Files.isRegularFile(rootOrSnapshot)) {
      return forSnapshot(rootOrSnapshot);
    }
    return forRoot(rootOrSnapshot);
  }

  /** Package-private for tests that wrap the files (counting, deleting, recording). */
  static HostDetector forSource(TreeSource source, String description) {
    return new HostDetector(() -> source, description, SystemPciIds::get);
  }

  /**
   * A tree served from elsewhere (a remote host's root over SFTP): read like a local root, with
   * the same caps and link checks. {@code description} becomes {@link HostInventory#source()}.
   */
  public static HostDetector forTree(TreeSource source, String description) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(description, "description");
    return forSource(source, description);
  }

  /** Names from this pci.ids file instead of the system's. */
  public HostDetector withPciIds(Path pciIds) {
    Objects.requireNonNull(pciIds, "pciIds");
    PciIds loaded = PciIds.load(pciIds);
    return new HostDetector(source, description, () -> loaded);
  }

  /** No vendor or device names: ids only. */
  public HostDetector withoutPciIds() {
    return new HostDetector(source, description, PciIds::none);
  }

  HostDetector withSource(TreeSource other) {
    return new HostDetector(() -> other, description, names);
  }

  TreeSource source() {
    return source.get();
  }

  /** Where this detector reads from, as it appears in {@link HostInventory#source()}. */
  public String description() {
    return description;
  }

  public HostInventory detect() {
    long start = System.nanoTime();
    HostInventory inventory = new Scan(source.get(), description, names.get()).run();
    LOG.debug("scanned {} in {} ms: {} cards, {} diagnostics", description,
        (System.nanoTime() - start) / 1_000_000, inventory.cards().size(),
        inventory.diagnostics().size());
    return inventory;
  }

  /** The system's pci.ids, parsed once per JVM on first use. */
  private static final class SystemPciIds {
    private static final PciIds INSTANCE = PciIds.system();

    static PciIds get() {
      return INSTANCE;
    }
  }
}
