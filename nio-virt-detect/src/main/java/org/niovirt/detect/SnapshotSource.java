package org.niovirt.detect;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.text.Printable;

/**
 * A captured tree read from its tar.gz into memory (captures are tens of kilobytes): no unpacking
 * to disk, so an entry can never land outside the tree.
 */
final class SnapshotSource implements TreeSource {
  /** Far above any capture (the shared ones are under 30 kB compressed), far below the heap. */
  static final long MAX_UNPACKED_BYTES = 256L << 20;
  /** A capture of a 5,000-function host holds about 100,000 entries. */
  static final long MAX_ENTRIES = 250_000;

  private static final class Node {
    final EntryKind kind;
    final byte[] content;
    final String linkTarget;
    final boolean readable;
    /** Why the content was not kept (larger than any kernel file of its kind), or null. */
    final String tooLarge;

    Node(EntryKind kind, byte[] content, String linkTarget, boolean readable) {
      this(kind, content, linkTarget, readable, null);
    }

    Node(EntryKind kind, byte[] content, String linkTarget, boolean readable, String tooLarge) {
      this.kind = kind;
      this.content = content;
      this.linkTarget = linkTarget;
      this.readable = readable;
      this.tooLarge = tooLarge;
    }
  }

  private static final Node DIRECTORY = new Node(EntryKind.DIRECTORY, null, null, true);

  private final Map<String, Node> nodes = new HashMap<>();
  private final Map<String, TreeSet<String>> children = new HashMap<>();

  private SnapshotSource() {
    nodes.put("", DIRECTORY);
  }

  static SnapshotSource load(Path tarGz) {
    if (tarGz == null) {
      throw new InvalidInputException("snapshot", null, "a .tar.gz file is required");
    }
    if (!Files.isRegularFile(tarGz)) {
      throw new InvalidInputException("snapshot", tarGz, "no such file");
    }
    SnapshotSource snapshot = new SnapshotSource();
    try (InputStream in = new TarHeaderGuard(
            new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarGz))),
            MAX_ENTRIES, MAX_UNPACKED_BYTES + MAX_ENTRIES * TarHeaderGuard.BLOCK);
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      long unpacked = 0;
      Map<String, String> hardLinks = new HashMap<>();
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String path = normalize(tarGz, entry.getName());
        if (path.isEmpty()) {
          continue;
        }
        if (entry.isDirectory()) {
          snapshot.put(path, DIRECTORY);
        } else if (entry.isSymbolicLink()) {
          snapshot.put(path, new Node(EntryKind.SYMLINK, null, entry.getLinkName(), true));
        } else if (entry.isLink()) {
          hardLinks.put(path, normalize(tarGz, entry.getLinkName()));
        } else if (entry.isFile()) {
          unpacked += entry.getSize();
          if (unpacked > MAX_UNPACKED_BYTES) {
            throw new InvalidInputException("snapshot", tarGz,
                "unpacks to more than " + (MAX_UNPACKED_BYTES >> 20) + " MiB; not a host capture");
          }
          boolean readable = (entry.getMode() & 0444) != 0;
          int limit = ReadLimits.maxBytes(path);
          snapshot.put(path, entry.getSize() > limit
              ? new Node(EntryKind.FILE, new byte[0], null, readable, ReadLimits.tooLarge(limit))
              : new Node(EntryKind.FILE, tar.readNBytes(limit), null, readable));
        } else {
          snapshot.put(path, new Node(EntryKind.OTHER, new byte[0], null, true));
        }
      }
      if (snapshot.nodes.size() == 1) {
        throw new InvalidInputException("snapshot", tarGz, "not a tar archive of a host tree (no entries)");
      }
      hardLinks.forEach((path, target) -> {
        Node original = snapshot.nodes.get(target);
        if (original != null && original.kind == EntryKind.FILE) {
          snapshot.put(path, original);
        }
      });
    } catch (TarHeaderGuard.TarLimitException e) {
      throw new InvalidInputException("snapshot", tarGz, e.getMessage());
    } catch (IOException e) {
      throw new InvalidInputException("snapshot", tarGz, "not a readable tar.gz: "
          + Printable.escape(String.valueOf(e.getMessage())));
    }
    return snapshot;
  }

  /** {@code ./sys/x/} → {@code sys/x}; names that climb out with {@code ..} are refused. */
  private static String normalize(Path tarGz, String name) {
    List<String> components = new ArrayList<>();
    for (String component : name.split("/")) {
      if (component.equals("..")) {
        throw new InvalidInputException("snapshot", tarGz,
            "entry '" + Printable.escape(name) + "' climbs out of the tree with '..'");
      }
      if (!component.isEmpty() && !component.equals(".")) {
        components.add(component);
      }
    }
    return String.join("/", components);
  }

  private void put(String path, Node node) {
    nodes.put(path, node);
    String child = path;
    while (!child.isEmpty()) {
      int slash = child.lastIndexOf('/');
      String parent = slash < 0 ? "" : child.substring(0, slash);
      children.computeIfAbsent(parent, p -> new TreeSet<>()).add(child.substring(slash + 1));
      nodes.putIfAbsent(parent, DIRECTORY);
      child = parent;
    }
  }

  private Node node(String path) throws NoSuchFileException {
    Node node = nodes.get(path);
    if (node == null) {
      throw new NoSuchFileException(path);
    }
    return node;
  }

  @Override
  public EntryKind kind(String path) {
    Node node = nodes.get(path);
    return node == null ? EntryKind.MISSING : node.kind;
  }

  @Override
  public String readLink(String path) throws IOException {
    Node node = node(path);
    if (node.kind != EntryKind.SYMLINK) {
      throw new IOException(path + ": not a symbolic link");
    }
    return node.linkTarget;
  }

  @Override
  public byte[] read(String path) throws IOException {
    Node node = node(path);
    if (node.kind == EntryKind.DIRECTORY) {
      throw new IOException(path + ": is a directory");
    }
    if (!node.readable) {
      throw new AccessDeniedException(path);
    }
    if (node.tooLarge != null) {
      throw new IOException(node.tooLarge);
    }
    return node.content.clone();
  }

  @Override
  public List<String> list(String path) throws IOException {
    Node node = node(path);
    if (node.kind != EntryKind.DIRECTORY) {
      throw new NotDirectoryException(path);
    }
    TreeSet<String> names = children.get(path);
    return names == null ? List.of() : List.copyOf(names);
  }
}
