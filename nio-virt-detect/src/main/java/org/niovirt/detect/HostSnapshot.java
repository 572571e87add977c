package org.niovirt.detect;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.HostInventory;

/**
 * Captures exactly the files the detector reads, with their symlinks as written, into a tar.gz
 * laid out like the root ({@code sys/}, {@code proc/} at the top). {@code tar -xzf} unpacks it for
 * {@link HostDetector#forRoot}; {@link HostDetector#forSnapshot} reads it as it is. For bug
 * reports and tests: the snapshot reproduces the inventory of the scan that wrote it.
 */
public final class HostSnapshot {
  private final Path output;
  private final HostInventory inventory;
  private final int entryCount;

  private HostSnapshot(Path output, HostInventory inventory, int entryCount) {
    this.output = output;
    this.inventory = inventory;
    this.entryCount = entryCount;
  }

  /** Scans {@code root} (a directory or a snapshot) and writes what the scan read to {@code outputTarGz}. */
  public static HostSnapshot capture(Path root, Path outputTarGz) {
    return capture(HostDetector.open(root), outputTarGz);
  }

  static HostSnapshot capture(HostDetector detector, Path outputTarGz) {
    if (outputTarGz == null) {
      throw new InvalidInputException("output", null, "a file name such as host.tar.gz is required");
    }
    Path absolute = outputTarGz.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      throw new InvalidInputException("output", outputTarGz, "is a directory, expected a file name");
    }
    Path parent = absolute.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new InvalidInputException("output", outputTarGz, "its directory does not exist");
    }
    RecordingSource recorder = new RecordingSource(detector.source());
    HostInventory inventory = detector.withSource(recorder).detect();
    int entries;
    Path partial = null;
    try {
      partial = Files.createTempFile(parent, absolute.getFileName().toString(), ".partial");
      try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(partial)))) {
        entries = write(recorder, out);
      }
      Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(partial);
      throw new InvalidInputException("output", outputTarGz, "cannot be written: " + e);
    }
    return new HostSnapshot(absolute, inventory, entries);
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // best effort: the error that matters is the one being thrown
    }
  }

  /** Directories first (parents before children), then files and links, all sorted by path. */
  private static int write(RecordingSource recorder, OutputStream out) throws IOException {
    Map<String, TarArchiveEntry> entries = new TreeMap<>();
    Date now = new Date();
    recorder.files.forEach((path, content) -> {
      TarArchiveEntry entry = new TarArchiveEntry(path);
      entry.setSize(content.length);
      // An unreadable file stays unreadable in the snapshot (mode 000), as for a non-root scan.
      entry.setMode(content == RecordingSource.DENIED ? 0100000 : 0100444);
      entries.put(path, entry);
    });
    recorder.links.forEach((path, target) -> {
      TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_SYMLINK);
      entry.setLinkName(target);
      entries.put(path, entry);
    });
    TreeMap<String, TarArchiveEntry> directories = new TreeMap<>();
    for (String path : entries.keySet()) {
      addParents(path, directories);
    }
    for (String directory : recorder.directories) {
      if (!directory.isEmpty() && !entries.containsKey(directory)) {
        directories.put(directory, new TarArchiveEntry(directory + "/"));
        addParents(directory, directories);
      }
    }
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (TarArchiveEntry directory : directories.values()) {
        directory.setModTime(now);
        tar.putArchiveEntry(directory);
        tar.closeArchiveEntry();
      }
      for (Map.Entry<String, TarArchiveEntry> entry : entries.entrySet()) {
        entry.getValue().setModTime(now);
        tar.putArchiveEntry(entry.getValue());
        byte[] content = recorder.files.get(entry.getKey());
        if (content != null) {
          tar.write(content);
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
    return directories.size() + entries.size();
  }

  private static void addParents(String path, Map<String, TarArchiveEntry> directories) {
    int slash = path.lastIndexOf('/');
    while (slash > 0) {
      String parent = path.substring(0, slash);
      directories.putIfAbsent(parent, new TarArchiveEntry(parent + "/"));
      slash = parent.lastIndexOf('/');
    }
  }

  public Path output() {
    return output;
  }

  /** The inventory of the scan the snapshot was taken from. */
  public HostInventory inventory() {
    return inventory;
  }

  /** Directories, files and links in the tar. */
  public int entryCount() {
    return entryCount;
  }
}
