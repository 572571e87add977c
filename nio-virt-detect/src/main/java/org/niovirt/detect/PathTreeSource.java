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

/**
 * A host tree on any {@link java.nio.file.FileSystem} (e.g. a remote host's root over SFTP), with
 * nothing but portable NIO calls. {@link FileSystemSource} reads and lists the local disk its own
 * faster way (without following links, through java.io), which other file systems do not offer;
 * here {@link RootedTree} has resolved every link before a read, so a plain open reads the file.
 */
class PathTreeSource implements TreeSource {
  private final Path root;

  PathTreeSource(Path root) {
    this.root = root;
  }

  final Path at(String path) {
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
    return EntryKind.of(attributes.isSymbolicLink(), attributes.isDirectory(), attributes.isRegularFile());
  }

  @Override
  public String readLink(String path) throws IOException {
    return Files.readSymbolicLink(at(path)).toString();
  }

  @Override
  public byte[] read(String path) throws IOException {
    int limit = ReadLimits.maxBytes(path);
    try (InputStream in = Files.newInputStream(at(path))) {
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
      entries.forEach(entry -> names.add(entry.getFileName().toString()));
    }
    Collections.sort(names);
    return names;
  }
}
