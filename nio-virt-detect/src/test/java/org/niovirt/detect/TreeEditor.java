package org.niovirt.detect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.stream.Stream;

/** Edits an unpacked host tree in a temp directory: the damaged and unusual trees of the tests. */
final class TreeEditor {
  final Path root;

  TreeEditor(Path root) {
    this.root = root;
  }

  Path at(String path) {
    return root.resolve(path);
  }

  TreeEditor write(String path, String content) {
    try {
      Files.createDirectories(at(path).getParent());
      Files.deleteIfExists(at(path));
      Files.writeString(at(path), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  TreeEditor writeBytes(String path, byte[] content) {
    try {
      Files.write(at(path), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  byte[] readBytes(String path) {
    try {
      return Files.readAllBytes(at(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String read(String path) {
    return new String(readBytes(path), StandardCharsets.UTF_8);
  }

  /** Replaces whatever is at {@code path} by a symlink to {@code target} (written as given). */
  TreeEditor link(String path, String target) {
    try {
      delete(path);
      Files.createDirectories(at(path).getParent());
      Files.createSymbolicLink(at(path), Path.of(target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  TreeEditor mkdirs(String path) {
    try {
      Files.createDirectories(at(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Deletes a file, a link (not its target) or a whole directory; absent is fine. */
  TreeEditor delete(String path) {
    deleteRecursively(at(path));
    return this;
  }

  static void deleteRecursively(Path path) {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        try (Stream<Path> entries = Files.walk(path)) {
          entries.sorted(Comparator.reverseOrder()).forEach(p -> {
            try {
              Files.delete(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
        }
      } else {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a tree, links as links (walk does not follow them). */
  static TreeEditor copy(Path from, Path to) {
    try {
      Files.walkFileTree(from, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
            throws IOException {
          Files.createDirectories(to.resolve(from.relativize(dir).toString()));
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
            throws IOException {
          Path target = to.resolve(from.relativize(file).toString());
          if (attributes.isSymbolicLink()) {
            Files.createSymbolicLink(target, Files.readSymbolicLink(file));
          } else {
            Files.copy(file, target);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TreeEditor(to);
  }
}
