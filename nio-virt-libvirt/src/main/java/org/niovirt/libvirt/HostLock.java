package org.niovirt.libvirt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.niovirt.api.text.Printable;

/**
 * Serializes launches on one host: an in-process lock per lock file (file locks do not exclude
 * the threads of one process) around an exclusive {@code flock(2)} on the file ({@link Flock}:
 * excludes other processes, here or holding it over SSH with the {@code flock} command; the kernel
 * drops it when a process dies, so a killed launcher never leaves the host locked).
 *
 * <p>The file lives in a directory only its owner can write, opened without following symlinks:
 * in a world-writable place anyone could create it first and hold it, or plant a link that root
 * would follow. The holder writes its PID into the file, so a waiter can say whom it waits for.
 */
final class HostLock implements LaunchLock {
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
  private static final long POLL_MILLIS = 100;
  private static final Duration NOTICE_AFTER = Duration.ofSeconds(1);
  private final Path file;
  private final Duration timeout;
  private final Consumer<String> waitNotice;
  /** The PID line: 20 digits are more than any PID, plus the newline. */
  private static final int PID_WIDTH = 21;
  private final ReentrantLock inProcess;
  /** Whether this instance created or checked the lock's private directory already. */
  private volatile boolean directoryChecked;

  HostLock(Path file, Duration timeout, Consumer<String> waitNotice) {
    this.file = file.toAbsolutePath().normalize();
    this.timeout = timeout;
    this.waitNotice = waitNotice;
    this.inProcess = IN_PROCESS.computeIfAbsent(this.file, f -> new ReentrantLock(true));
  }

  Path file() {
    return file;
  }

  /** Waits at most the timeout for the host; close the result to release it. */
  @Override
  public Held acquire() {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!inProcess.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw timedOut(OptionalLong.empty(), "another thread of this process");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostLockException(file, "interrupted while waiting for the host lock " + file,
          "nothing was changed; run again", OptionalLong.empty(), e);
    }
    FileChannel channel = null;
    int fd = -1;
    try {
      channel = open();
      fd = Flock.open(file);
      lockBefore(channel, fd, deadline);
      writePid(channel);
      return new Held(channel, fd);
    } catch (IOException | RuntimeException e) {
      if (fd >= 0) {
        Flock.close(fd);
      }
      closeQuietly(channel);
      inProcess.unlock();
      if (e instanceof HostLockException lockFailure) {
        throw lockFailure;
      }
      throw new HostLockException(file, "cannot lock " + file + " (the host-wide launch lock): " + e,
          "choose a path in a directory only you can write with LibvirtHostOptions.lockFile",
          OptionalLong.empty(), e);
    }
  }

  /** Creates the private directory if needed, checks it, and opens the file without following links. */
  private FileChannel open() throws IOException {
    Path directory = file.getParent();
    if (!directoryChecked) {
      checkDirectory(directory);
      directoryChecked = true; // only its owner (or root) can replace a private directory
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    try {
      FileOwnership.requirePrivate(file, "the lock file", false);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
    return channel;
  }

  private static void checkDirectory(Path directory) throws IOException {
    Files.createDirectories(directory.getParent());
    try {
      Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // Checked below whoever made it.
    }
    FileOwnership.requirePrivate(directory, "the lock directory", true);
  }

  private void lockBefore(FileChannel channel, int fd, long deadline) throws IOException {
    long noticeAt = System.nanoTime() + NOTICE_AFTER.toNanos();
    boolean noticed = false;
    while (true) {
      if (Flock.tryLock(fd)) {
        return;
      }
      OptionalLong holder = holderPid(channel);
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        throw timedOut(holder, holder.isPresent() ? "PID " + holder.getAsLong() : "another process");
      }
      if (!noticed && now - noticeAt >= 0) {
        noticed = true;
        waitNotice.accept("waiting for the host lock " + file + " held by "
            + (holder.isPresent() ? "PID " + holder.getAsLong() + describeProcess(holder.getAsLong())
                : "another process") + " (at most " + timeout.toSeconds() + " s)");
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HostLockException(file, "interrupted while waiting for the host lock " + file,
            "nothing was changed; run again", holder, e);
      }
    }
  }

  private HostLockException timedOut(OptionalLong holder, String holderName) {
    return new HostLockException(file, "the host lock " + file + " is still held by " + holderName
        + " after " + timeout.toSeconds() + " s",
        "another launch is running on this host; wait for it, or stop"
            + (holder.isPresent() ? " process " + holder.getAsLong() : " its process")
            + " if it hangs. Nothing was changed", holder, null);
  }

  /** The PID the holder wrote; empty when unreadable or not a number. */
  private static OptionalLong holderPid(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      channel.read(buffer, 0);
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
      return text.matches("[0-9]{1,10}") ? OptionalLong.of(Long.parseLong(text)) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** {@code " (java)"}: the holder's command name, when this machine has it in /proc. */
  private static String describeProcess(long pid) {
    try {
      return " (" + Printable.escape(Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip()) + ")";
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Overwrites the file's one fixed-width line with our PID: no truncate (a costly metadata change
   * on most file systems), and what a waiter reads while we hold the lock is always ours.
   */
  private static void writePid(FileChannel channel) throws IOException {
    StringBuilder line = new StringBuilder(PID_WIDTH).append(ProcessHandle.current().pid());
    while (line.length() < PID_WIDTH - 1) {
      line.append(' ');
    }
    channel.write(ByteBuffer.wrap(line.append('\n').toString().getBytes(StandardCharsets.US_ASCII)), 0);
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

  final class Held implements LaunchLock.Hold {
    private final FileChannel channel;
    private final int fd;

    private Held(FileChannel channel, int fd) {
      this.channel = channel;
      this.fd = fd;
    }

    @Override
    public void close() {
      try {
        Flock.close(fd); // the PID stays: it is read only while someone holds the lock
        channel.close();
      } catch (IOException e) {
        throw new HostPreparationException("cannot release the lock on " + file, e);
      } finally {
        inProcess.unlock();
      }
    }
  }
}
