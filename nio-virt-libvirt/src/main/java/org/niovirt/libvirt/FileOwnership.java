package org.niovirt.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Checks that a path root acts on is its own: not a symlink, owned by this process's user (or
 * root), and writable by nobody else. Anything else could be a trap laid by another local user.
 */
final class FileOwnership {
  private FileOwnership() {}

  private static final int TYPE_BITS = 0170000;
  private static final int DIRECTORY = 0040000;
  private static final int REGULAR = 0100000;
  private static final int SYMLINK = 0120000;
  private static final int GROUP_OR_OTHERS_WRITE = 0022;
  /** Read once: a process's effective uid does not change under us. */
  private static volatile Integer currentUid;

  /** This process's effective uid: the owner of {@code /proc/self}. */
  static int currentUid() throws IOException {
    Integer uid = currentUid;
    if (uid == null) {
      uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      currentUid = uid;
    }
    return uid;
  }

  /** One {@code lstat}: the type, owner and write bits all come from the same look at the path. */
  static void requirePrivate(Path path, String what, boolean directory) throws IOException {
    Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) attributes.get("mode");
    int type = mode & TYPE_BITS;
    if (type == SYMLINK) {
      throw unsafe(path, what + " " + path + " is a symbolic link");
    }
    if (type != (directory ? DIRECTORY : REGULAR)) {
      throw unsafe(path, what + " " + path + " is not a " + (directory ? "directory" : "regular file"));
    }
    int owner = (Integer) attributes.get("uid");
    int self = currentUid();
    if (owner != self && owner != 0) {
      throw unsafe(path, what + " " + path + " belongs to uid " + owner + ", not to this user (uid "
          + self + ")");
    }
    if ((mode & GROUP_OR_OTHERS_WRITE) != 0) {
      throw unsafe(path, what + " " + path + " is writable by other users");
    }
  }

  private static HostLockException unsafe(Path path, String problem) {
    return new HostLockException(path, problem + ", so another user could hold or redirect it",
        "remove it (only root or its owner should create it), or choose another path with"
            + " LibvirtHostOptions.lockFile; nothing was changed", OptionalLong.empty(), null);
  }
}
