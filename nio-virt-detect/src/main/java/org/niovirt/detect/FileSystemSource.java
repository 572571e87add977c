package org.niovirt.detect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A host tree on disk: {@code /} itself or an unpacked capture. */
final class FileSystemSource implements TreeSource {
  private final Path root;

  FileSystemSource(Path root) {
    this.root = root;
  }

  private Path at(String path) {
    return path.isEmpty() ? root : root.resolve(path);
  }

  @Override
  public EntryKind kind(String path) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(at(path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return EntryKind.MISSING;
    }
    if (attributes.isSymbolicLink()) {
      return EntryKind.SYMLINK;
    }
    if (attributes.isDirectory()) {
      return EntryKind.DIRECTORY;
    }
    return attributes.isRegularFile() ? EntryKind.FILE : EntryKind.OTHER;
  }

  @Override
  public String readLink(String path) throws IOException {
    return Files.readSymbolicLink(at(path)).toString();
  }

  @Override
  public byte[] read(String path) throws IOException {
    int limit = ReadLimits.maxBytes(path);
    try (InputStream in = Files.newInputStream(at(path), LinkOption.NOFOLLOW_LINKS)) {
      byte[] content = in.readNBytes(limit + 1);
      if (content.length > limit) {
        throw new IOException(ReadLimits.tooLarge(limit));
      }
      return content;
    }
  }

  @Override
  public List<String> list(String path) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(at(path))) {
      for (Path entry : entries) {
        names.add(entry.getFileName().toString());
      }
    }
    Collections.sort(names);
    return names;
  }
}
