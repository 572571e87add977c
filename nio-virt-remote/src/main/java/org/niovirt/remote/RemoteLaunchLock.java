package org.niovirt.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.niovirt.libvirt.HostLockException;
import org.niovirt.libvirt.LaunchLock;
import org.niovirt.libvirt.LibvirtHostOptions;

/**
 * The remote host's launch lock, held on that host: {@code flock(1)} on the same file a local
 * launcher there locks ({@code flock(2)}, {@link LibvirtHostOptions#DEFAULT_LOCK_FILE}), run over
 * the SSH session for as long as the launch lasts. The holder writes its PID like a local one. When
 * the launcher closes the channel, or dies and its connection drops, the remote command ends and
 * the kernel there releases the lock: a dead launcher never leaves the host locked.
 */
final class RemoteLaunchLock implements LaunchLock {
  private static final String LOCK = LibvirtHostOptions.DEFAULT_LOCK_FILE.toString();
  private static final String LOCKED = "locked";
  private static final long POLL_MILLIS = 50;
  private static final Duration NOTICE_AFTER = Duration.ofSeconds(1);

  private final ClientSession session;
  private final String host;
  private final Path remoteLockFile;
  private final Duration timeout;
  private final Consumer<String> waitNotice;

  RemoteLaunchLock(ClientSession session, String host, Path remoteLockFile, Duration timeout,
      Consumer<String> waitNotice) {
    this.session = session;
    this.host = host;
    this.remoteLockFile = remoteLockFile;
    this.timeout = timeout;
    this.waitNotice = waitNotice;
  }

  /**
   * The fixed command: the lock directory made private if missing, then flock with the timeout in
   * whole seconds; only flock holds the lock (-o), its child writes flock's PID and waits for EOF.
   */
  static String command(long timeoutSeconds) {
    String directory = LibvirtHostOptions.DEFAULT_LOCK_FILE.getParent().toString();
    return "mkdir -p -m 0700 " + directory + " && exec flock -o -w " + timeoutSeconds + " " + LOCK
        + " sh -c 'printf \"%-20s\\n\" \"$PPID\" 1<> " + LOCK + " && echo " + LOCKED + " && exec cat >/dev/null'";
  }

  @Override
  public Hold acquire() {
    long seconds = Math.max(1, timeout.toSeconds());
    ChannelExec channel = null;
    try {
      channel = session.createExecChannel(command(seconds));
      channel.open().verify(Duration.ofSeconds(15));
      InputStream out = channel.getInvertedOut();
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      long started = System.nanoTime();
      boolean noticed = false;
      while (true) {
        while (out.available() > 0) {
          seen.write(out.read());
        }
        if (seen.toString(StandardCharsets.US_ASCII).contains(LOCKED + "\n")) {
          ChannelExec held = channel;
          return () -> release(held);
        }
        if (channel.isClosed() || channel.getExitStatus() != null) {
          throw timedOut(holderPid(), seconds);
        }
        long waited = System.nanoTime() - started;
        if (!noticed && waited >= NOTICE_AFTER.toNanos()) {
          noticed = true;
          OptionalLong holder = holderPid();
          waitNotice.accept("waiting for the host lock " + LOCK + " on " + host + " held by "
              + (holder.isPresent() ? "PID " + holder.getAsLong() + " there" : "another process")
              + " (at most " + seconds + " s)");
        }
        if (waited > timeout.toNanos() + Duration.ofSeconds(15).toNanos()) {
          throw timedOut(holderPid(), seconds);
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (IOException e) {
      close(channel);
      throw new HostLockException(remoteLockFile, "cannot take the host lock " + LOCK + " on " + host
          + ": " + e.getMessage(), "check that util-linux's flock is installed there", OptionalLong.empty(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close(channel);
      throw new HostLockException(remoteLockFile, "interrupted while waiting for the host lock on " + host,
          "nothing was changed; run again", OptionalLong.empty(), e);
    } catch (RuntimeException e) {
      close(channel);
      throw e;
    }
  }

  private HostLockException timedOut(OptionalLong holder, long seconds) {
    return new HostLockException(remoteLockFile, "the host lock " + LOCK + " on " + host + " is still held by "
        + (holder.isPresent() ? "PID " + holder.getAsLong() : "another process") + " after " + seconds + " s",
        "another launch is running on " + host + "; wait for it. Nothing was changed", holder, null);
  }

  /** The PID the holder wrote into the lock file there, read over SFTP; empty when unreadable. */
  private OptionalLong holderPid() {
    try {
      String text = Files.readString(remoteLockFile, StandardCharsets.US_ASCII).strip();
      return text.matches("[0-9]{1,10}") ? OptionalLong.of(Long.parseLong(text)) : OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** EOF on the holder's stdin ends it; the remote kernel releases the lock. */
  private static void release(ChannelExec channel) {
    try {
      channel.getInvertedIn().close();
      channel.waitFor(List.of(org.apache.sshd.client.channel.ClientChannelEvent.CLOSED), Duration.ofSeconds(10));
    } catch (IOException e) {
      // Closing the channel below ends the holder as well.
    } finally {
      close(channel);
    }
  }

  private static void close(ChannelExec channel) {
    if (channel != null) {
      channel.close(false);
    }
  }
}
