package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.niovirt.libvirt.testing.TestHosts.nodeFileUri;
import static org.niovirt.libvirt.testing.TestHosts.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuGroup;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.OperState;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.libvirt.testing.SysfsTree;
import org.niovirt.libvirt.xml.NodeDeviceXmlCodec;

class NodeDeviceInventoryTest {
  @TempDir Path dir;

  private HostInventory read(String nodeFile, NodeDeviceInventoryOptions options) {
    try (LibvirtHost host = LibvirtHost.connect(nodeFileUri(nodeFile), options(dir).build())) {
      return NodeDeviceInventory.read(host, options);
    }
  }

  @Test
  void physicalFunctionsWithTheirVfsGroupsAndNetdevsFromTheTestDriver() {
    HostInventory inventory = read("sixteen-vfs.xml",
        NodeDeviceInventoryOptions.builder().addManagementInterface("eth0").build());

    assertThat(inventory.source()).startsWith("libvirt:test:///");
    assertThat(inventory.cards()).extracting(c -> c.slotId()).containsExactly("0000:00:03", "0000:01:00");
    NetworkFunction pf = inventory.function(PciAddress.parse("0000:01:00.1")).orElseThrow();
    assertThat(pf.displayName()).isEqualTo("Intel Corporation 82599ES 10-Gigabit SFI/SFP+ Network Connection");
    assertThat(pf.netdevs()).extracting(NetDev::name).containsExactly("ens1f1");
    assertThat(pf.netdevs().get(0).operState()).isEqualTo(OperState.UP);
    assertThat(pf.numaNode()).hasValue(0);
    SriovCapability sriov = pf.sriov().orElseThrow();
    assertThat(sriov.totalVfs()).isEqualTo(8);
    assertThat(sriov.numVfs()).isEqualTo(8);
    assertThat(sriov.vfDeviceId()).hasValue(0x10ed);
    assertThat(sriov.offset()).isEqualTo(0x80);
    assertThat(sriov.stride()).isEqualTo(2);
    assertThat(sriov.vfs().get(3).address()).isEqualTo(PciAddress.parse("0000:01:10.7"));
    assertThat(sriov.vfs().get(3).iommuGroup()).hasValue(33);
    assertThat(sriov.creatableVfAddresses()).isEmpty();
    assertThat(inventory.managementFunctions()).containsExactly(PciAddress.parse("0000:00:03.0"));
    assertThat(inventory.iommu().enabled()).isTrue();
    assertThat(inventory.iommu().groups()).hasSize(19);
  }

  @Test
  void vfCreationNeedsTheLayoutFromSysfsAndSharedGroupsAreKept() {
    HostInventory withoutSysfs = read("vf-creation.xml", NodeDeviceInventoryOptions.defaults());
    Path root = SysfsTree.igb82576(dir.resolve("root"));
    HostInventory withSysfs = read("vf-creation.xml", NodeDeviceInventoryOptions.builder().hostRoot(root).build());

    NetworkFunction blind = withoutSysfs.function(PciAddress.parse(SysfsTree.PF)).orElseThrow();
    assertThat(blind.sriov().orElseThrow().creatableVfAddresses()).isEmpty();
    assertThat(blind.diagnostics()).anyMatch(d -> d.contains("VF offset and stride unknown"));
    SriovCapability sriov = withSysfs.function(PciAddress.parse(SysfsTree.PF)).orElseThrow().sriov().orElseThrow();
    assertThat(sriov.totalVfs()).isEqualTo(7);
    assertThat(sriov.creatableVfAddresses()).startsWith(
        PciAddress.parse("0000:03:10.0"), PciAddress.parse("0000:03:10.2")).hasSize(7);
    IommuGroup shared = withSysfs.iommu().group(12).orElseThrow();
    assertThat(shared.nonBridgeMembers()).containsExactly(
        PciAddress.parse("0000:02:00.0"), PciAddress.parse("0000:02:00.1"));
    assertThat(withSysfs.cards()).filteredOn(c -> c.slotId().equals("0000:02:00"))
        .singleElement().satisfies(card -> assertThat(card.portCount()).isEqualTo(2));
  }

  @Test
  void realNodeDevicesOfAVirtioHostParseWithUnknownLinkSpeed() throws IOException {
    Path real = Path.of("src/test/resources/nodedev-real");
    List<org.niovirt.libvirt.xml.NodeDeviceXml> devices;
    try (var files = Files.list(real)) {
      devices = files.sorted().map(f -> {
        try {
          return NodeDeviceXmlCodec.unmarshal(Files.readString(f));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).collect(Collectors.toList());
    }

    HostInventory inventory = NodeDeviceInventory.fromDevices("captured", devices,
        NodeDeviceInventoryOptions.builder().addManagementInterface("eth0").build());

    NetworkFunction virtio = inventory.function(PciAddress.parse("0000:00:03.0")).orElseThrow();
    assertThat(virtio.driver()).contains("virtio-pci");
    assertThat(virtio.vendorId()).isEqualTo(0x1af4);
    assertThat(virtio.netdevs()).singleElement().satisfies(eth0 -> {
      assertThat(eth0.name()).isEqualTo("eth0");
      assertThat(eth0.speedMbps()).isEmpty();
      assertThat(eth0.mac().orElseThrow().value()).isEqualTo("02:fc:00:00:00:01");
      assertThat(eth0.management()).isTrue();
    });
    assertThat(virtio.sriov()).isEmpty();
    assertThat(inventory.iommu().enabled()).isFalse();
  }
}
