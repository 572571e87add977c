package org.niovirt.detect;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Passes every access through and remembers what the detector touched: the files it read (with
 * the bytes it saw), every link on the way, and the directories it listed. That is exactly what a
 * snapshot must hold for the detector to reach the same inventory again.
 */
final class RecordingSource implements TreeSource {
  /** A file that exists but was never read (only its existence mattered) or could not be read. */
  static final byte[] NOT_READ = new byte[0];
  static final byte[] DENIED = new byte[0];

  private final TreeSource delegate;
  final Map<String, byte[]> files = new TreeMap<>();
  final Map<String, String> links = new TreeMap<>();
  final TreeSet<String> directories = new TreeSet<>();

  RecordingSource(TreeSource delegate) {
    this.delegate = delegate;
  }

  @Override
  public synchronized EntryKind kind(String path) throws IOException {
    EntryKind kind = delegate.kind(path);
    switch (kind) {
      case DIRECTORY:
        directories.add(path);
        break;
      case FILE:
      case OTHER:
        files.putIfAbsent(path, NOT_READ);
        break;
      case SYMLINK:
        links.put(path, delegate.readLink(path));
        break;
      default:
        break;
    }
    return kind;
  }

  @Override
  public synchronized String readLink(String path) throws IOException {
    String target = delegate.readLink(path);
    links.put(path, target);
    return target;
  }

  @Override
  public synchronized byte[] read(String path) throws IOException {
    try {
      byte[] content = delegate.read(path);
      files.put(path, content);
      return content;
    } catch (AccessDeniedException e) {
      files.put(path, DENIED);
      throw e;
    } catch (NoSuchFileException e) {
      files.remove(path);
      throw e;
    }
  }

  @Override
  public synchronized List<String> list(String path) throws IOException {
    List<String> names = delegate.list(path);
    directories.add(path);
    return names;
  }
}
