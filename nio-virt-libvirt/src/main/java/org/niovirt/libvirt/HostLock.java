package org.niovirt.libvirt;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes launches on one host: an in-process lock per lock file (a JVM may hold a file lock
 * only once, and {@link FileLock} does not exclude threads) around an exclusive lock on the file
 * (excludes other processes; the kernel drops it when a process dies, so a killed launcher never
 * leaves the host locked).
 */
final class HostLock {
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
  private final Path file;
  private final ReentrantLock inProcess;

  HostLock(Path file) {
    this.file = file.toAbsolutePath().normalize();
    this.inProcess = IN_PROCESS.computeIfAbsent(this.file, f -> new ReentrantLock(true));
  }

  Path file() {
    return file;
  }

  /** Blocks until this thread holds the host; close the result to release it. */
  Held acquire() {
    inProcess.lock();
    FileChannel channel = null;
    try {
      Files.createDirectories(file.getParent());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.lock();
      return new Held(channel, lock);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      inProcess.unlock();
      throw new HostPreparationException("cannot lock " + file + " (the host-wide launch lock): "
          + e + ". Hint: choose a writable path with LibvirtHostOptions.lockFile", e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing was locked yet; the error that got us here is the one to report.
      }
    }
  }

  final class Held implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private Held(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    @Override
    public void close() {
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        throw new HostPreparationException("cannot release the lock on " + file, e);
      } finally {
        inProcess.unlock();
      }
    }
  }
}
