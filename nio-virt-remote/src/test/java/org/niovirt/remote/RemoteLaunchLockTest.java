package org.niovirt.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.niovirt.libvirt.HostLockException;
import org.niovirt.libvirt.LaunchLock;
import org.niovirt.libvirt.LibvirtHostOptions;

/**
 * The launch lock of a host reached over SSH is that host's own lock file, locked there: while a
 * remote launcher holds it, a local {@code flock} on the file fails (a local nio-virt, which takes
 * {@code flock(2)} on it, waits: HostLockTest); while a local holder has it, the remote launcher
 * waits, names the holder's PID and gives up after its timeout; two remote launchers exclude each
 * other. Real sshd on 127.0.0.1 (scripts/start-test-sshd.sh).
 */
class RemoteLaunchLockTest {
  private static final String LOCK = LibvirtHostOptions.DEFAULT_LOCK_FILE.toString();

  @BeforeAll
  static void sshd() {
    RemoteInventoryTest.sshdListens();
  }

  private static RemoteHostAccess access() {
    return RemoteHostAccess.open(SshDestination.fromLibvirtUri(RemoteInventoryTest.URI).orElseThrow());
  }

  private static LaunchLock lock(RemoteHostAccess access, Duration timeout, List<String> notices) {
    return access.configure(LibvirtHostOptions.builder().lockTimeout(timeout).lockWaitNotice(notices::add)
        .build()).launchLock().orElseThrow();
  }

  private static boolean lockedHere() throws Exception {
    Process probe = new ProcessBuilder("flock", "-n", LOCK, "true").start();
    return probe.waitFor() != 0;
  }

  @Test
  void whileARemoteLauncherHoldsItTheHostsOwnLockFileIsLocked() throws Exception {
    try (RemoteHostAccess access = access()) {
      try (LaunchLock.Hold held = lock(access, Duration.ofSeconds(5), List.of()).acquire()) {
        assertThat(lockedHere()).as("flock -n on the host's lock file while held over SSH").isTrue();
      }
      Thread.sleep(300); // the remote holder ends on EOF
      assertThat(lockedHere()).as("released").isFalse();
    }
  }

  @Test
  void aLocalHolderIsWaitedForBoundedAndNamed() throws Exception {
    Process holder = new ProcessBuilder("flock", "-o", LOCK, "sh", "-c",
        "printf '%-20s\\n' \"$PPID\" 1<> \"$0\"; echo locked; exec sleep 30", LOCK).start();
    try (RemoteHostAccess access = access()) {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");
      List<String> notices = new CopyOnWriteArrayList<>();

      assertThatThrownBy(() -> lock(access, Duration.ofSeconds(2), notices).acquire())
          .isInstanceOfSatisfying(HostLockException.class, e -> {
            assertThat(e.holderPid()).hasValue(holder.pid());
            assertThat(e).hasMessageContaining("on ssh://root@127.0.0.1 is still held by PID " + holder.pid());
          });
      assertThat(notices).singleElement().asString().contains("held by PID " + holder.pid() + " there");
    } finally {
      holder.destroyForcibly().waitFor();
    }
  }

  @Test
  void twoRemoteLaunchersExcludeEachOther() throws Exception {
    try (RemoteHostAccess first = access(); RemoteHostAccess second = access()) {
      try (LaunchLock.Hold held = lock(first, Duration.ofSeconds(5), List.of()).acquire()) {
        assertThatThrownBy(() -> lock(second, Duration.ofSeconds(1), new CopyOnWriteArrayList<>()).acquire())
            .isInstanceOf(HostLockException.class);
      }
      try (LaunchLock.Hold held = lock(second, Duration.ofSeconds(5), List.of()).acquire()) {
        assertThat(lockedHere()).isTrue();
      }
    }
  }
}
