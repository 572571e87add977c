package org.niovirt.libvirt;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code flock(2)} on a file, through the C library (JNA, already loaded for libvirt). Java's
 * {@code FileChannel.lock} takes POSIX record locks ({@code fcntl}), which {@code flock(1)} does
 * not see; {@code flock(2)} is what the util-linux {@code flock} command takes, so a launcher on
 * another machine can hold this host's lock over SSH with nothing but that command, and a local
 * launcher waits for it (and the other way round). The kernel drops the lock when its holder dies.
 */
final class Flock {
  private static final int O_RDWR = 2;
  private static final int O_CLOEXEC = 02000000;
  private static final int LOCK_EX = 2;
  private static final int LOCK_NB = 4;
  private static final int EWOULDBLOCK = 11;

  private interface CLibrary extends Library {
    int open(String path, int flags) throws LastErrorException;

    int flock(int fd, int operation) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  /** Loaded on first use. */
  private static final class C {
    static final CLibrary LIBRARY = Native.load("c", CLibrary.class);
  }

  private Flock() {}

  /**
   * Opens an existing file for locking. The caller has checked it (opened without following links,
   * owned by us, in a directory only we can write), so it cannot be swapped in between.
   */
  static int open(Path file) throws IOException {
    try {
      return C.LIBRARY.open(file.toString(), O_RDWR | O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new IOException("cannot open " + file + " to lock it (errno " + e.getErrorCode() + ")", e);
    }
  }

  /** Takes the exclusive lock if free; false when another open file holds it. */
  static boolean tryLock(int fd) throws IOException {
    try {
      C.LIBRARY.flock(fd, LOCK_EX | LOCK_NB);
      return true;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EWOULDBLOCK) {
        return false;
      }
      throw new IOException("flock failed (errno " + e.getErrorCode() + ")", e);
    }
  }

  /** Closes the descriptor, which releases its lock. */
  static void close(int fd) {
    try {
      C.LIBRARY.close(fd);
    } catch (LastErrorException e) {
      // Closing is releasing: a failed close of a valid descriptor still released its lock.
    }
  }
}
