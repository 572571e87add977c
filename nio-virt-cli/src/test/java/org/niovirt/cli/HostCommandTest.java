package org.niovirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nio-virt host persist|unpersist} on a test-driver host whose node file defines a guest
 * holding VF 2 of 0000:3b:00.0: the unit re-creates exactly 3 VFs on that PF, before libvirtd.
 */
class HostCommandTest {
  private static final String URI =
      "test://" + Path.of("src/test/resources/host/persist-host.xml").toAbsolutePath();
  @TempDir Path dir;

  private static CliRun persist(String... more) {
    String[] args = {"host", "persist", "--connect", URI, "--node-devices", "--management-interface", "eth0"};
    String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return CliRun.of(all);
  }

  @Test
  void aDryRunPrintsAUnitBeforeLibvirtdWithTheVfCountTheGuestsNeed() {
    CliRun run = persist("--dry-run");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("Before=libvirtd.service virtqemud.service libvirt-guests.service",
        "# 0000:3b:00.0: 3 VF(s), for persisted-web",
        "echo 0 > /sys/bus/pci/devices/0000:3b:00.0/sriov_numvfs && echo 3 > /sys/bus/pci/devices/0000:3b:00.0/sriov_numvfs");
    assertThat(run.out().lines().filter(line -> line.startsWith("ExecStart="))).hasSize(2);
  }

  @Test
  void persistWritesTheUnitFileAndUnpersistRemovesIt() throws Exception {
    Path unit = dir.resolve("nio-virt-sriov.service");

    CliRun written = persist("--unit-file", unit.toString());
    assertThat(written.exitCode()).as(written.toString()).isZero();
    assertThat(written.out()).contains("wrote " + unit);
    assertThat(Files.readString(unit)).contains("echo 3 > /sys/bus/pci/devices/0000:3b:00.0/sriov_numvfs");

    CliRun removed = CliRun.of("host", "unpersist", "--unit-file", unit.toString());
    assertThat(removed.exitCode()).as(removed.toString()).isZero();
    assertThat(removed.out()).contains("removed " + unit);
    assertThat(unit).doesNotExist();
  }

  @Test
  void checkFindsTheGuestsVfInPlace() {
    CliRun run = CliRun.of("host", "check", "--connect", URI, "--node-devices", "--management-interface", "eth0");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).contains("Every defined guest's host devices are in place");
  }

  @Test
  void repairOnTheTestDriverNeedsAHostRoot() {
    CliRun run = CliRun.of("host", "repair", "--connect", URI, "--node-devices", "--management-interface", "eth0");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(run.errorLines().get(0)).contains("--host-root");
  }
}
