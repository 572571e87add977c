package org.niovirt.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.detect.HostDetector;
import org.niovirt.export.lint.Lint;
import org.niovirt.export.lint.LintReport;

/**
 * Lint reads every format nio-virt exports: each golden export of d1 lints clean on d1, and
 * configurations that are wrong (a renamed PF, a selector for the management NIC's id) are found.
 */
class LintFormatsTest {
  private static final HostInventory D1 = HostDetector.forSnapshot(
      Path.of("../nio-virt-detect/src/test/resources/captures/d1-vtd-sriov-dual.tar.gz")).withoutPciIds().detect();

  @ParameterizedTest
  @ValueSource(strings = {"nova.txt", "neutron.txt", "kubevirt.txt", "sriov-device-plugin.json", "sriov-operator.txt"})
  void everyGoldenExportOfD1LintsCleanOnD1(String format) throws Exception {
    String text = Files.readString(Path.of("src/test/resources/golden/d1-vtd-sriov-dual." + format));
    if (format.equals("sriov-operator.txt")) {
      text = text.substring(0, text.indexOf("---", text.indexOf("SriovNetworkNodePolicy"))); // the policy
    }
    LintReport report = Lint.lint(text, D1, DeviceUsage.empty());

    assertThat(report.clean()).as(report.describe()).isTrue();
    assertThat(report.entries()).isNotEmpty().allSatisfy(e -> assertThat(e.matches().isEmpty() && e.pending().isEmpty()).isFalse());
  }

  @Test
  void aRenamedPfAndTheManagementNicsIdAreFound() {
    LintReport neutron = Lint.lint("[sriov_nic]\nphysical_device_mappings = physnet1:ens1f0\nexclude_devices = "
        + "eth3:0000:02:00.0\n", D1, DeviceUsage.empty());
    assertThat(neutron.clean()).isFalse();
    assertThat(neutron.describe()).contains("physical_device_mappings physnet1:ens1f0: matches NOTHING",
        "not 0000:01:00.0 (eth3, igb): its name is eth3, not ens1f0",
        "not 0000:02:00.0: it is 0000:02:00.0 (eth1, e1000e), not a VF of eth3");

    LintReport kubevirt = Lint.lint("apiVersion: kubevirt.io/v1\nkind: KubeVirt\nspec:\n  configuration:\n"
        + "    permittedHostDevices:\n      pciHostDevices:\n      - pciVendorSelector: \"1AF4:1000\"\n"
        + "        resourceName: virtio\n", D1, DeviceUsage.empty());
    assertThat(kubevirt.describe()).contains("UNSAFE: pciHostDevice 1AF4:1000 (virtio) matches 0000:00:03.0 (eth0,"
        + " virtio-pci), which is not safe to hand out: the host's management NIC");
  }
}
