package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host lock cannot be squatted or redirected by another local user, and a launch waiting for
 * it says whom it waits for and gives up after a bounded time.
 */
class HostLockTest {
  @TempDir Path dir;

  private HostLock lock(Path file, Duration timeout, List<String> notices) {
    return new HostLock(file, timeout, notices::add);
  }

  @Test
  void createsAPrivateDirectoryAndWritesItsPidWhileHeld() throws Exception {
    Path file = dir.resolve("run/nio-virt/launch.lock");
    try (HostLock.Held held = lock(file, Duration.ofSeconds(5), new CopyOnWriteArrayList<>()).acquire()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
          .isEqualTo("rwx------");
      assertThat(Files.readString(file).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }
  }

  @Test
  void aSymlinkPlantedAsTheLockFileIsNotFollowed() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("locks"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path victim = Files.writeString(dir.resolve("victim"), "precious");
    Files.createSymbolicLink(directory.resolve("launch.lock"), victim);

    assertThatThrownBy(() -> lock(directory.resolve("launch.lock"), Duration.ofSeconds(1), List.of()).acquire())
        .isInstanceOf(HostLockException.class).hasMessageContaining("launch.lock");
    assertThat(Files.readString(victim)).isEqualTo("precious");
  }

  @Test
  void aSymlinkedOrWorldWritableLockDirectoryIsRefused() throws Exception {
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Path linked = Files.createSymbolicLink(dir.resolve("linked"), elsewhere);
    assertThatThrownBy(() -> lock(linked.resolve("launch.lock"), Duration.ofSeconds(1), List.of()).acquire())
        .isInstanceOf(HostLockException.class).hasMessageContaining("is a symbolic link");

    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> lock(open.resolve("launch.lock"), Duration.ofSeconds(1), List.of()).acquire())
        .isInstanceOf(HostLockException.class).hasMessageContaining("writable by other users");
    assertThat(open.resolve("launch.lock")).doesNotExist();
  }

  @Test
  void aDirectoryOwnedByAnotherUserIsRefused() throws Exception {
    Path squatted = Files.createDirectory(dir.resolve("squatted"));
    int nobody = 65534;
    if (FileOwnership.currentUid() != 0) {
      return; // only root can give a directory away; the check is the same for every owner
    }
    Files.setAttribute(squatted, "unix:uid", nobody);
    assertThatThrownBy(() -> lock(squatted.resolve("launch.lock"), Duration.ofSeconds(1), List.of()).acquire())
        .isInstanceOf(HostLockException.class).hasMessageContaining("belongs to uid 65534");
  }

  @Test
  void aLockHeldByAnotherProcessIsWaitedForBoundedAndItsPidNamed() throws Exception {
    Path file = dir.resolve("locks/launch.lock");
    lock(file, Duration.ofSeconds(5), List.of()).acquire().close(); // creates the directory and file
    // Another process takes the lock with util-linux's flock(1), as a launcher on another machine
    // does over SSH, and writes its PID (flock's, the child's parent; -o: only flock holds it).
    Process holder = new ProcessBuilder(List.of("flock", "-o", file.toString(), "sh", "-c",
        "printf '%s' \"$PPID\" > \"$0\"; echo locked; exec sleep 60", file.toString()))
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");
      List<String> notices = new CopyOnWriteArrayList<>();

      assertThatThrownBy(() -> lock(file, Duration.ofSeconds(2), notices).acquire())
          .isInstanceOfSatisfying(HostLockException.class, e -> {
            assertThat(e.holderPid()).hasValue(holder.pid());
            assertThat(e.getMessage()).contains("still held by PID " + holder.pid(), "after 2 s");
          });
      assertThat(notices).singleElement().asString()
          .startsWith("waiting for the host lock " + file + " held by PID " + holder.pid());
    } finally {
      holder.destroyForcibly().waitFor();
    }
    // The kernel dropped the dead holder's lock: the next launch gets it at once.
    try (HostLock.Held held = lock(file, Duration.ofSeconds(5), List.of()).acquire()) {
      assertThat(Files.readString(file).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }
  }
}
