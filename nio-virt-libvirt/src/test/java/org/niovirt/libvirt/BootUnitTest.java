package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.niovirt.libvirt.testing.TestHosts.guest;
import static org.niovirt.libvirt.testing.TestHosts.nodeFileUri;
import static org.niovirt.libvirt.testing.TestHosts.options;
import static org.niovirt.libvirt.testing.TestHosts.sriovRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.PciAddress;
import org.niovirt.libvirt.testing.TestHosts;

/**
 * The boot state comes from the defined domains (libvirt is the record) and the unit re-creates
 * exactly the VF counts they need, before libvirtd: checked by systemd's own parser
 * ({@code systemd-analyze verify}) and by running the unit's commands with /bin/sh on a tree.
 */
class BootUnitTest {
  private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");
  @TempDir Path dir;

  private BootState launchTwoSriovGuests() {
    try (LibvirtHost host = LibvirtHost.connect(nodeFileUri("sixteen-vfs.xml"), options(dir).build())) {
      HostInventory inventory = NodeDeviceInventory.read(host, TestHosts.inventoryOptions().build());
      NetworkIoPlanner planner = NetworkIoPlanner.create();
      host.launch(guest("boot-a"), planner, inventory, sriovRequest("boot-a"));
      host.launch(guest("boot-b"), planner, inventory, sriovRequest("boot-b"));
      return BootPersistence.desired(host, inventory);
    }
  }

  @Test
  void theStateHoldsEachPfsHighestHeldVfPlusOne() {
    BootState state = launchTwoSriovGuests();

    assertThat(state.unresolved()).isEmpty();
    assertThat(state.physicalFunctions()).isNotEmpty();
    int guests = state.physicalFunctions().stream().mapToInt(pf -> pf.guests().size()).sum();
    assertThat(guests).as("both guests are counted").isEqualTo(2);
    for (BootState.PhysicalFunctionState pf : state.physicalFunctions()) {
      assertThat(pf.numVfs()).isBetween(1, 8);
      assertThat(pf.physicalFunction().toString()).isIn("0000:01:00.0", "0000:01:00.1");
    }
  }

  @Test
  void systemdAcceptsTheUnitAndItRunsBeforeLibvirt() throws Exception {
    String unit = BootUnit.render(launchTwoSriovGuests());
    assertThat(unit).contains("Before=libvirtd.service virtqemud.service libvirt-guests.service",
        "Type=oneshot", "WantedBy=multi-user.target");
    if (!Files.isExecutable(SYSTEMD_ANALYZE)) {
      assertThat(System.getenv("CI")).as("CI installs systemd, whose systemd-analyze checks the unit").isNull();
      return;
    }
    Path file = dir.resolve(BootUnit.NAME);
    Files.writeString(file, unit, StandardCharsets.UTF_8);
    Process verify = new ProcessBuilder(SYSTEMD_ANALYZE.toString(), "verify", "--man=no", file.toString())
        .redirectErrorStream(true).start();
    String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(verify.exitValue()).as(output + "\n" + unit).isZero();
    assertThat(output).as(unit).doesNotContain(BootUnit.NAME + ":");
  }

  @Test
  void theCommandsGoThroughZeroToTheCountAndRaiseTheLinks() throws Exception {
    PciAddress pf = PciAddress.parse("0000:3b:00.0");
    Path device = dir.resolve("sys/bus/pci/devices/" + pf);
    Files.createDirectories(device.resolve("net/eth1"));
    Path numVfs = device.resolve("sriov_numvfs");
    Files.writeString(numVfs, "2\n");
    // A fake `ip` first on PATH records what it is asked to do.
    Path calls = dir.resolve("ip-calls");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.writeString(bin.resolve("ip"), "#!/bin/sh\necho \"$*\" >> " + calls + "\n");
    assertThat(bin.resolve("ip").toFile().setExecutable(true)).isTrue();

    List<String> commands = BootUnit.commands(
        new BootState.PhysicalFunctionState(pf, 3, List.of("web")), dir.toString());
    for (String command : commands) {
      ProcessBuilder shell = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true);
      shell.environment().put("PATH", bin + ":" + System.getenv("PATH"));
      Process run = shell.start();
      String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(run.exitValue()).as(command + "\n" + output).isZero();
    }

    assertThat(Files.readString(numVfs).strip()).isEqualTo("3");
    assertThat(commands.get(0)).containsSubsequence("echo 0 > " + numVfs, "echo 3 > " + numVfs);
    assertThat(Files.readAllLines(calls)).containsExactly("link set dev eth1 up");
  }

  @Test
  void guestNamesAreCommentsOnlyAndEscaped() {
    BootState state = new BootState(List.of(new BootState.PhysicalFunctionState(
        PciAddress.parse("0000:3b:00.0"), 1, List.of("evil\nExecStart=/bin/rm -rf /"))), List.of());

    String unit = BootUnit.render(state);

    assertThat(unit.lines().filter(line -> line.startsWith("ExecStart=")))
        .allMatch(line -> line.startsWith("ExecStart=/bin/sh -c '") && !line.contains("rm -rf"));
    assertThat(unit).contains("# 0000:3b:00.0: 1 VF(s), for evil\\x0aExecStart=/bin/rm -rf /");
  }

  @Test
  void persistWritesTheUnitAndUnpersistRemovesIt() throws IOException {
    Path unitFile = dir.resolve("units/" + BootUnit.NAME);
    BootPersistence persistence = new BootPersistence(unitFile, false);
    BootState state = new BootState(List.of(new BootState.PhysicalFunctionState(
        PciAddress.parse("0000:3b:00.0"), 4, List.of("web"))), List.of());

    assertThat(persistence.persist(state)).anyMatch(line -> line.contains("not enabled"));
    assertThat(Files.readString(unitFile)).isEqualTo(BootUnit.render(state));
    assertThat(Files.getPosixFilePermissions(unitFile)).extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "GROUP_READ", "OTHERS_READ");

    assertThat(persistence.unpersist()).anyMatch(line -> line.startsWith("removed"));
    assertThat(unitFile).doesNotExist();
  }
}
