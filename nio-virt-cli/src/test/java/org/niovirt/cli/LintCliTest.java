package org.niovirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nio-virt lint} of SR-IOV device plugin configs on the real d1 capture (82576 PF eth3 with
 * VFs 0000:01:10.0 and 0000:01:10.2 on igbvf, a dual-port e1000e card, virtio management NIC eth0).
 */
class LintCliTest {
  private static final String D1 = Path.of("src/test/resources/captures/d1-vtd-sriov-dual.tar.gz").toString();
  @TempDir Path dir;

  private CliRun lint(String config) throws IOException {
    return CliRun.of("lint", "--root", D1, Files.writeString(dir.resolve("config.json"), config).toString());
  }

  @Test
  void aSelectorNamingADriverNoFunctionHasSaysSoWithTheActualDrivers() throws IOException {
    CliRun run = lint("{\"resourceList\": [{\"resourceName\": \"dpdk_vfs\", \"selectors\": "
        + "{\"vendors\": [\"8086\"], \"devices\": [\"10ca\"], \"drivers\": [\"vfio-pci\"]}}]}");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.PLANNING_IMPOSSIBLE);
    assertThat(run.out()).contains("resource dpdk_vfs: matches NOTHING",
        "not 0000:01:10.0 (VF 0 of eth3, igbvf): drivers [vfio-pci] does not match: its driver is igbvf",
        "not 0000:01:10.2 (VF 1 of eth3, igbvf): drivers [vfio-pci] does not match: its driver is igbvf",
        "not 0000:02:00.0 (eth1, e1000e): devices [10ca] does not match: its device is 10d3", "findings");
  }

  @Test
  void aRightConfigIsCleanAndAVfRangeIsHonoured() throws IOException {
    CliRun run = lint("{\"resourceList\": [{\"resourceName\": \"vfs\", \"selectors\": "
        + "{\"vendors\": [\"8086\"], \"drivers\": [\"igbvf\"], \"pfNames\": [\"eth3#1\"]}}]}");

    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.out()).contains("resource vfs: matches 0000:01:10.2 (VF 1 of eth3, igbvf)",
        "not 0000:01:10.0 (VF 0 of eth3, igbvf): pfNames [eth3#1] does not match: its PF is eth3 and it is VF 0",
        "clean");
  }

  @Test
  void theManagementNicIsFlaggedAndAConfigMapIsRead() throws IOException {
    CliRun run = lint("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: sriovdp-config}\ndata:\n"
        + "  config.json: |\n    {\"resourceList\": [{\"resourceName\": \"all_virtio\", \"selectors\": {\"vendors\": [\"1af4\"]}}]}\n");

    assertThat(run.exitCode()).isEqualTo(ExitCode.PLANNING_IMPOSSIBLE);
    assertThat(run.out()).contains("resource all_virtio: matches 0000:00:03.0 (eth0, virtio-pci)",
        "UNSAFE: resource all_virtio matches 0000:00:03.0 (eth0, virtio-pci), which is not safe to hand out:"
            + " the host's management NIC");
  }

  @Test
  void novasDeviceSpecsAreLintedAndOurOwnExportIsClean() throws IOException {
    CliRun export = CliRun.of("export", "--to", "nova", "--root", D1);
    Path exported = java.nio.file.Files.writeString(dir.resolve("nova.conf"), export.out());
    CliRun own = CliRun.of("lint", "--root", D1, exported.toString());
    assertThat(own.exitCode()).as(own.out()).isZero();
    assertThat(own.out()).contains("Format: nova", "matches 0000:01:10.0 (VF 0 of eth3, igbvf)",
        "matches nothing yet: 0000:01:10.4 is not a VF yet: VF 2 of 0000:01:00.0 (eth3, igb), created when"
            + " sriov_numvfs is raised to 3");

    CliRun wrong = CliRun.of("lint", "--root", D1, java.nio.file.Files.writeString(dir.resolve("bad.conf"),
        "[pci]\ndevice_spec = {\"vendor_id\": \"8086\", \"product_id\": \"1572\"}\n"
            + "device_spec = {\"address\": \"*:00:03.*\"}\n").toString());
    assertThat(wrong.exitCode()).isEqualTo(ExitCode.PLANNING_IMPOSSIBLE);
    assertThat(wrong.out()).contains("device_spec (line 2): matches NOTHING",
        "not 0000:01:10.0 (VF 0 of eth3, igbvf): product_id 1572 does not match: its device is 10ca",
        "UNSAFE: device_spec (line 3) matches 0000:00:03.0 (eth0, virtio-pci)");
  }

  @Test
  void anUnreadableFileIsExitTwo() throws IOException {
    CliRun broken = lint("[pci]\ndevice_spec = {");
    assertThat(broken.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(broken.err()).contains("device_spec (line 2)", "a JSON object");

    CliRun garbage = lint("{{{ not a config");
    assertThat(garbage.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(garbage.err()).contains("(file");
  }
}
