package org.niovirt.cli.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.niovirt.api.error.InvalidInputException;

/**
 * Host files a guest is given (a disk it may write, a kernel, a console log libvirt writes as
 * root): a directory, FIFO or device is refused with its kind named, and so is anything under the
 * host's own configuration and kernel interfaces unless the user says {@code --force}.
 */
final class HostPaths {
  private static final List<Path> SYSTEM = List.of(Path.of("/etc"), Path.of("/proc"), Path.of("/sys"),
      Path.of("/dev"), Path.of("/boot"));

  private HostPaths() {}

  /** A file to boot or attach: it must exist, as a regular file (a block device with --force). */
  static void checkInput(String option, Path path, boolean force) {
    Path absolute = path.toAbsolutePath();
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new InvalidInputException(option, path, "no such file");
    }
    if (!attributes.isRegularFile() && !(force && attributes.isOther() && isBlockDevice(absolute))) {
      throw new InvalidInputException(option, path, kind(absolute, attributes)
          + ", not an image file" + (attributes.isOther() ? " (--force accepts a block device)" : ""));
    }
    checkNotSystem(option, path, absolute, force);
  }

  /** A file libvirt will create or truncate: never a device, FIFO or directory, nor a system file. */
  static void checkOutput(String option, Path path, boolean force) {
    Path absolute = path.toAbsolutePath();
    if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
      try {
        BasicFileAttributes attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
          throw new InvalidInputException(option, path, kind(absolute, attributes)
              + ": the guest's console would be written into it");
        }
      } catch (IOException e) {
        throw new InvalidInputException(option, path, "cannot be checked (" + e.getMessage() + ")");
      }
    }
    checkNotSystem(option, path, absolute, force);
  }

  private static void checkNotSystem(String option, Path given, Path absolute, boolean force) {
    Path real = realOrParent(absolute);
    for (Path system : SYSTEM) {
      if (real.startsWith(system) && !force) {
        throw new InvalidInputException(option, given, "lies under " + system + ", where the host"
            + " keeps its own configuration or kernel interfaces; pass --force if you really mean it");
      }
    }
  }

  /** Symlinks resolved as far as the path exists, so a link cannot hide where a file lands. */
  private static Path realOrParent(Path absolute) {
    Path existing = absolute.normalize();
    Path rest = Path.of("");
    while (existing != null && !Files.exists(existing)) {
      rest = existing.getFileName().resolve(rest);
      existing = existing.getParent();
    }
    try {
      return existing == null ? absolute.normalize() : existing.toRealPath().resolve(rest).normalize();
    } catch (IOException e) {
      return absolute.normalize();
    }
  }

  private static final int TYPE_MASK = 0170000;
  private static final int BLOCK_DEVICE = 0060000;

  private static boolean isBlockDevice(Path path) {
    return fileType(path) == BLOCK_DEVICE;
  }

  /** The file-type bits of {@code st_mode}, or -1 when they cannot be read. */
  private static int fileType(Path path) {
    try {
      return Files.getAttribute(path, "unix:mode") instanceof Integer mode ? mode & TYPE_MASK : -1;
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }

  private static String kind(Path path, BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return "a directory";
    }
    return switch (fileType(path)) {
      case 0010000 -> "a FIFO";
      case 0020000 -> "a character device";
      case BLOCK_DEVICE -> "a block device";
      case 0140000 -> "a socket";
      default -> "not a regular file";
    };
  }
}
