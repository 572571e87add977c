package org.niovirt.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.niovirt.detect.HostSnapshot;

/**
 * Host trees for the detection benchmarks, made by {@code benchmarks/tools/gen-sysfs-tree.py}
 * (deterministic: same N, same tree; reused when present), and the paths the detector reads in
 * them, taken from a snapshot, which holds exactly what the detector touched.
 */
final class DetectTrees {
  private DetectTrees() {}

  /** The tree with {@code functions} PCI functions under {@code parent}, generated when missing. */
  static Path tree(Path parent, int functions) throws IOException, InterruptedException {
    Path tree = parent.resolve("nio-virt-bench-" + functions);
    if (Files.isDirectory(tree.resolve("sys"))) {
      return tree;
    }
    Path script = Path.of(System.getProperty("niovirt.bench.generator", "benchmarks/tools/gen-sysfs-tree.py"));
    Process generator = new ProcessBuilder("/usr/bin/python3", script.toString(), tree.toString(),
        Integer.toString(functions)).inheritIO().start();
    if (generator.waitFor() != 0) {
      throw new IOException(script + " failed for N=" + functions);
    }
    return tree;
  }

  /**
   * The floor the detector is compared with: each path it read, read once (files whole, links'
   * targets, directories' entries), every result handed to {@code sink}.
   */
  static void readOnce(Path tree, Paths paths, java.util.function.Consumer<Object> sink) throws IOException {
    for (String file : paths.files()) {
      sink.accept(Files.readAllBytes(tree.resolve(file)));
    }
    for (String link : paths.links()) {
      sink.accept(Files.readSymbolicLink(tree.resolve(link)));
    }
    for (String directory : paths.directories()) {
      try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(tree.resolve(directory))) {
        entries.forEach(sink);
      }
    }
  }

  /** Files, links and directories the detector read in {@code tree}, relative to it. */
  record Paths(List<String> files, List<String> links, List<String> directories) {}

  static Paths readByTheDetector(Path tree) throws IOException {
    Path snapshot = Files.createTempFile("nio-virt-bench", ".tar.gz");
    try {
      HostSnapshot.capture(tree, snapshot);
      List<String> files = new ArrayList<>();
      List<String> links = new ArrayList<>();
      List<String> directories = new ArrayList<>();
      try (InputStream in = new GZIPInputStream(Files.newInputStream(snapshot));
          TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
          String name = entry.getName().replaceAll("^\\./", "").replaceAll("/$", "");
          if (entry.isSymbolicLink()) {
            links.add(name);
          } else if (entry.isDirectory()) {
            directories.add(name);
          } else if (entry.getSize() > 0) {
            files.add(name);
          }
        }
      }
      return new Paths(files, links, directories);
    } finally {
      Files.deleteIfExists(snapshot);
    }
  }
}
