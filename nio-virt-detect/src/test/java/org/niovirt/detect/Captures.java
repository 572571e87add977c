package org.niovirt.detect;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.ImmutableHostInventory;

/** The captured host trees under src/test/resources/captures, as tar.gz or unpacked. */
final class Captures {
  static final String D1 = "d1-vtd-sriov-dual";
  static final String D2 = "d2-firecracker-virtio";
  static final String D3 = "d3-amd-vi-quad";
  static final String D4 = "d4-vtd-noir-sriov-idle";
  static final String D5 = "d5-vtd-off-rocker";
  static final String D6 = "d6-vtd-rocker-multiport";
  static final String[] ALL = {D1, D2, D3, D4, D5, D6};

  private Captures() {}

  static Path tarGz(String name) {
    URL url = Captures.class.getResource("/captures/" + name + ".tar.gz");
    if (url == null) {
      throw new IllegalStateException("capture " + name + " is not on the test class path");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The pci.ids excerpt kept with the tests, so names do not depend on the machine. */
  static Path pciIds() {
    try {
      return Path.of(Captures.class.getResource("/pci.ids").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static HostInventory detect(String name) {
    return HostDetector.forSnapshot(tarGz(name)).withPciIds(pciIds()).detect();
  }

  /** Unpacks a capture the way {@code tar -xzf} does, symlinks included; returns {@code directory}. */
  static Path unpack(String name, Path directory) {
    return unpackFile(tarGz(name), directory);
  }

  static Path unpackFile(Path tarGz, Path directory) {
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarGz)));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path target = directory.resolve(entry.getName()).normalize();
        if (!target.startsWith(directory)) {
          throw new IllegalStateException("entry outside the tree: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
          } else {
            Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return directory;
  }

  /**
   * A new empty directory for an unpacked tree, in memory-backed /dev/shm when the machine has it
   * (unpacking a capture is a thousand small files); the caller deletes it.
   */
  static Path scratchDirectory() {
    try {
      Path shm = Path.of("/dev/shm");
      return Files.isDirectory(shm) && Files.isWritable(shm)
          ? Files.createTempDirectory(shm, "nio-virt-tree") : Files.createTempDirectory("nio-virt-tree");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Equal but for where it was read from. */
  static HostInventory withoutSource(HostInventory inventory) {
    return ImmutableHostInventory.copyOf(inventory).withSource("-");
  }
}
