package org.niovirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code nio-virt export} on captured hosts: what is written, and the options it refuses. */
class ExportCliTest {
  private static final String D1 = Path.of("src/test/resources/captures/d1-vtd-sriov-dual.tar.gz").toString();

  @Test
  void novaGetsThePfsVfsWithTheirPhysicalNetworkAndNeverTheManagementNic() {
    CliRun run = CliRun.of("export", "--to", "nova", "--root", D1, "--physical-network", "eth3=physnet1", "--explain");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("# Written by nio-virt export --to nova")
        .contains("[pci]", "device_spec = {\"vendor_id\":\"8086\",\"product_id\":\"10ca\",\"address\":\"0000:01:10.0\","
            + "\"physical_network\":\"physnet1\"}", "alias = {\"name\":\"vf-8086-10ca\"",
            "# left out: 0000:00:03.0 (eth0, virtio-pci): the host's management NIC")
        .doesNotContain("\"address\":\"0000:00:03.0\"");
  }

  @Test
  void kubevirtGetsTheDualPortCardsId() {
    CliRun run = CliRun.of("export", "--to", "kubevirt", "--root", D1);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("kind: \"KubeVirt\"", "pciVendorSelector: \"8086:10D3\"",
        "resourceName: \"nio-virt.io/8086_10d3\"").doesNotContain("left out");
  }

  @Test
  void theKubernetesSriovFormatsAndNeutronAreWritten() {
    CliRun plugin = CliRun.of("export", "--to", "sriov-device-plugin", "--root", D1);
    assertThat(plugin.exitCode()).as(plugin.err()).isZero();
    assertThat(plugin.out()).contains("\"rootDevices\" : [ \"0000:01:00.0#0-6\" ]");
    assertThat(plugin.err()).contains("# nio_virt_eth3: 7 safe VF(s) of 0000:01:00.0 (eth3)");

    CliRun operator = CliRun.of("export", "--to", "sriov-operator", "--root", D1, "--node-name", "rack1-b");
    assertThat(operator.out()).contains("kind: \"SriovNetworkNodePolicy\"", "externallyManaged: true",
        "kubernetes.io/hostname: \"rack1-b\"", "kind: \"SriovNetwork\"");

    CliRun vmi = CliRun.of("export", "--to", "kubevirt-vmi", "--root", D1, "--name", "web2", "--pin", "sriov");
    assertThat(vmi.exitCode()).as(vmi.err()).isZero();
    assertThat(vmi.out()).contains("kind: \"VirtualMachineInstance\"", "name: \"web2\"", "sriov: {}",
        "networkName: \"nio-virt-eth3\"");

    CliRun neutron = CliRun.of("export", "--to", "neutron", "--root", D1, "--physical-network", "eth3=physnet1");
    assertThat(neutron.out()).contains("physical_device_mappings = physnet1:eth3", "exclude_devices = ");
  }

  @Test
  void aFleetIsExportedOneFilePerHostAndAnUnreachableHostIsNamed(@org.junit.jupiter.api.io.TempDir Path dir)
      throws java.io.IOException {
    Path fleet = java.nio.file.Files.writeString(dir.resolve("fleet.yaml"), "hosts:\n"
        + "  - name: rack-d1\n    root: " + Path.of(D1).toAbsolutePath() + "\n"
        + "  - name: gone\n    uri: qemu+ssh://root@127.0.0.1:9/system\n");
    Path out = dir.resolve("out");

    CliRun run = CliRun.of("export", "--to", "nova", "--fleet", fleet.toString(), "--output-dir", out.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.RUNTIME_FAILURE);
    assertThat(run.out()).contains("rack-d1: " + out.resolve("rack-d1.nova.conf"), "gone: not exported: ");
    assertThat(java.nio.file.Files.readString(out.resolve("rack-d1.nova.conf"))).contains("\"address\":\"0000:01:10.0\"");
    assertThat(CliRun.of("export", "--to", "nova", "--fleet", fleet.toString()).err()).contains("--output-dir");
  }

  @Test
  void badOptionsAreRefusedNamingThem() {
    CliRun format = CliRun.of("export", "--to", "opennebula", "--root", D1);
    assertThat(format.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(format.err()).contains("--to", "opennebula");

    CliRun version = CliRun.of("export", "--to", "nova", "--nova-version", "29", "--root", D1);
    assertThat(version.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(version.err()).contains("--nova-version", "29", "only Nova 26");

    CliRun mapping = CliRun.of("export", "--to", "nova", "--physical-network", "eth3", "--root", D1);
    assertThat(mapping.err()).contains("--physical-network", "eth3", "PF=NETWORK");
  }
}
