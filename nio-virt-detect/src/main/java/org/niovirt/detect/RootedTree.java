package org.niovirt.detect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves paths in a host tree the way the kernel would inside a {@code chroot}: absolute
 * symlinks start again at the tree's root and {@code ..} stops there, so a capture's links never
 * reach the real host's files. Thread-safe: a scan reads devices on several threads, and the
 * caches only ever hold what the tree said (two threads may both ask it once).
 */
final class RootedTree {
  /** The kernel's own limit (ELOOP after 40 links): stops looping symlinks. */
  static final int MAX_LINKS = 40;

  private final TreeSource source;
  /** Link targets seen in this scan: /proc/net and device links are crossed many times. */
  private final Map<String, String> linkTargets = new ConcurrentHashMap<>();
  /**
   * The kind of every resolved path looked at in this scan: each path component is checked once
   * per scan, not again on every access below it (a statx per component per file otherwise).
   */
  private final Map<String, EntryKind> kinds = new ConcurrentHashMap<>();
  /** Link-free paths of directories this scan resolved: a walk below one starts there. */
  private final java.util.Set<String> resolvedDirectories = ConcurrentHashMap.newKeySet();
  /** Directory listings of this scan: a device directory is listed for several of its entries. */
  private final Map<String, List<String>> listings = new ConcurrentHashMap<>();

  /** One tree per scan, so that the remembered link targets never outlive the scan. */
  RootedTree(TreeSource source) {
    this.source = source;
  }

  /** What {@code look} says of the path, asked once per scan even when threads race for it. */
  private static <T> T once(Map<String, T> cache, String path, IoLook<T> look) throws IOException {
    T known = cache.get(path);
    if (known != null) {
      return known;
    }
    try {
      return cache.computeIfAbsent(path, p -> {
        try {
          return look.at(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @FunctionalInterface
  private interface IoLook<T> {
    T at(String path) throws IOException;
  }

  private EntryKind kind(String resolvedPath) throws IOException {
    return once(kinds, resolvedPath, source::kind);
  }

  /**
   * The kind of an entry the caller expects to be a link (a driver, virtfn, physfn or bus link):
   * one readlink answers both whether it is a link and where it leads, where a look at its kind
   * and then a readlink take two. Anything else gets the usual look.
   */
  private EntryKind kindExpectingLink(String resolvedPath) throws IOException {
    return once(kinds, resolvedPath, path -> {
      try {
        linkTargets.put(path, source.readLink(path));
        return EntryKind.SYMLINK;
      } catch (IOException notALink) {
        return source.kind(path);
      }
    });
  }

  private String linkTarget(String resolvedPath) throws IOException {
    return once(linkTargets, resolvedPath, source::readLink);
  }

  /** The link-free path that {@code path} leads to; every link on the way is followed. */
  String resolve(String path) throws IOException {
    return resolve(path, true, false);
  }

  /** Like {@link #resolve(String)}, for a path whose last component is expected to be a link. */
  String resolveLink(String path) throws IOException {
    return resolve(path, true, true);
  }

  /** Like {@link #resolve(String)} but a link at the end is kept, as {@code lstat} does. */
  String resolveParent(String path) throws IOException {
    return resolve(path, false, false);
  }

  private String resolve(String path, boolean followLast, boolean lastIsLink) throws IOException {
    Deque<String> pending;
    List<String> resolved;
    int cut = path.lastIndexOf('/');
    String parent = cut > 0 ? path.substring(0, cut) : null;
    if (parent != null && kinds.get(parent) == EntryKind.DIRECTORY && resolvedDirectories.contains(parent)) {
      // The parent is a directory this scan reached link-free already (an attribute reader's
      // device directory): only the last component needs a look.
      resolved = new ArrayList<>(components(parent));
      pending = new ArrayDeque<>(components(path.substring(cut + 1)));
    } else {
      pending = new ArrayDeque<>(components(path));
      resolved = new ArrayList<>();
    }
    int links = 0;
    while (!pending.isEmpty()) {
      String component = pending.pop();
      if (component.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
        }
        continue;
      }
      resolved.add(component);
      if (pending.isEmpty() && !followLast) {
        break;
      }
      String candidate = String.join("/", resolved);
      EntryKind kind = lastIsLink && pending.isEmpty() ? kindExpectingLink(candidate) : kind(candidate);
      if (kind == EntryKind.SYMLINK) {
        if (++links > MAX_LINKS) {
          throw new FileSystemLoopException(path);
        }
        String target = linkTarget(candidate);
        resolved.remove(resolved.size() - 1);
        if (target.startsWith("/")) {
          resolved.clear();
        }
        List<String> targetComponents = components(target);
        for (int i = targetComponents.size() - 1; i >= 0; i--) {
          pending.push(targetComponents.get(i));
        }
      } else if (kind == EntryKind.MISSING) {
        throw new NoSuchFileException(path, null, candidate + " does not exist");
      } else if (kind != EntryKind.DIRECTORY && !pending.isEmpty()) {
        throw new NotDirectoryException(candidate);
      } else if (kind == EntryKind.DIRECTORY) {
        resolvedDirectories.add(candidate);
      }
    }
    return String.join("/", resolved);
  }

  private static List<String> components(String path) {
    List<String> components = new ArrayList<>();
    for (String component : path.split("/")) {
      if (!component.isEmpty() && !component.equals(".")) {
        components.add(component);
      }
    }
    return components;
  }

  /** The kind of the entry itself (a link is reported as a link); MISSING if a parent is absent. */
  EntryKind kindNoFollow(String path) throws IOException {
    return kindNoFollow(path, false);
  }

  /** {@link #kindNoFollow(String)} of an entry expected to be a link (one readlink if it is). */
  EntryKind kindNoFollow(String path, boolean expectLink) throws IOException {
    String parentResolved;
    try {
      parentResolved = resolveParent(path);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return EntryKind.MISSING;
    }
    return expectLink ? kindExpectingLink(parentResolved) : kind(parentResolved);
  }

  /** The target of the link at {@code path}, as written (the link itself may dangle). */
  String readLink(String path) throws IOException {
    return linkTarget(resolveParent(path));
  }

  /** Reads a regular file only: a FIFO or device in a damaged tree would block the scan. */
  byte[] read(String path) throws IOException {
    String resolved = resolve(path);
    EntryKind kind = kind(resolved);
    if (kind != EntryKind.FILE) {
      throw new IOException(kind == EntryKind.DIRECTORY ? "is a directory" : "not a regular file");
    }
    return source.read(resolved);
  }

  /** A sysfs attribute as text: UTF-8, surrounding white space and the final newline removed. */
  String readText(String path) throws IOException {
    return new String(read(path), StandardCharsets.UTF_8).strip();
  }

  List<String> list(String path) throws IOException {
    return once(listings, resolve(path), source::list);
  }

  /** The last component of a path or link target, e.g. the driver name of {@code ../drivers/igb}. */
  static String lastComponent(String path) {
    List<String> components = components(path);
    return components.isEmpty() ? "" : components.get(components.size() - 1);
  }
}
