package org.niovirt.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Checks that a path root acts on is its own: not a symlink, owned by this process's user (or
 * root), and writable by nobody else. Anything else could be a trap laid by another local user.
 */
final class FileOwnership {
  private FileOwnership() {}

  /** This process's effective uid: the owner of {@code /proc/self}. */
  static int currentUid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  static void requirePrivate(Path path, String what, boolean directory) throws IOException {
    if (Files.isSymbolicLink(path)) {
      throw unsafe(path, what + " " + path + " is a symbolic link");
    }
    boolean rightKind = directory ? Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
        : Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    if (!rightKind) {
      throw unsafe(path, what + " " + path + " is not a " + (directory ? "directory" : "regular file"));
    }
    int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    int self = currentUid();
    if (owner != self && owner != 0) {
      throw unsafe(path, what + " " + path + " belongs to uid " + owner + ", not to this user (uid "
          + self + ")");
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    if (permissions.contains(PosixFilePermission.GROUP_WRITE)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw unsafe(path, what + " " + path + " is writable by other users");
    }
  }

  private static HostLockException unsafe(Path path, String problem) {
    return new HostLockException(path, problem + ", so another user could hold or redirect it",
        "remove it (only root or its owner should create it), or choose another path with"
            + " LibvirtHostOptions.lockFile; nothing was changed", OptionalLong.empty(), null);
  }
}
