package org.niovirt.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuGroup;
import org.niovirt.api.model.IommuVendor;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkCard;
import org.niovirt.api.model.NetworkClass;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.OperState;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.Tristate;
import org.niovirt.api.model.VirtualFunction;

/** The facts each capture's README lists, as the detector must find them. */
class CaptureFactsTest {
  private static PciAddress pci(String address) {
    return PciAddress.parse(address);
  }

  private static NetworkFunction function(HostInventory inventory, String address) {
    return inventory.function(pci(address)).orElseThrow(
        () -> new AssertionError(address + " not found in " + inventory.functions()
            .map(f -> f.address().toString()).collect(Collectors.toList())));
  }

  private static List<String> slots(HostInventory inventory) {
    return inventory.cards().stream().map(NetworkCard::slotId).collect(Collectors.toList());
  }

  private static List<String> netdevNames(NetworkFunction function) {
    return function.netdevs().stream().map(NetDev::name).collect(Collectors.toList());
  }

  private static List<String> members(IommuGroup group) {
    return group.members().stream().map(m -> m.address().toString()).collect(Collectors.toList());
  }

  /** What every capture shares: the virtio-net management NIC at 00:03.0 named eth0. */
  private static void assertVirtioManagementNic(HostInventory inventory, int deviceId) {
    NetworkFunction virtio = function(inventory, "0000:00:03.0");
    assertThat(virtio.vendorId()).isEqualTo(0x1af4);
    assertThat(virtio.deviceId()).isEqualTo(deviceId);
    assertThat(virtio.driver()).contains("virtio-pci");
    assertThat(netdevNames(virtio)).containsExactly("eth0");
    assertThat(virtio.netdevs().get(0).management()).isTrue();
    assertThat(inventory.managementInterfaces()).containsExactly("eth0");
    assertThat(inventory.managementFunctions()).containsExactly(pci("0000:00:03.0"));
  }

  @Test
  void d1HasTheManagementVirtioNicTheSriovPfAndTheDualPortCard() {
    HostInventory inventory = Captures.detect(Captures.D1);

    assertThat(slots(inventory)).containsExactly("0000:00:03", "0000:01:00", "0000:02:00");
    assertVirtioManagementNic(inventory, 0x1000);
    assertThat(function(inventory, "0000:00:03.0").deviceName()).contains("Virtio network device");

    NetworkFunction pf = function(inventory, "0000:01:00.0");
    assertThat(pf.vendorId()).isEqualTo(0x8086);
    assertThat(pf.deviceId()).isEqualTo(0x10c9);
    assertThat(pf.vendorName()).contains("Intel Corporation");
    assertThat(pf.deviceName()).contains("82576 Gigabit Network Connection");
    assertThat(pf.driver()).contains("igb");
    assertThat(pf.networkClass()).isEqualTo(NetworkClass.ETHERNET);
    assertThat(pf.iommuGroup()).isEqualTo(OptionalInt.of(7));
    assertThat(pf.pcieLink()).hasValueSatisfying(link -> {
      assertThat(link.speed()).isEqualTo("2.5 GT/s PCIe");
      assertThat(link.width()).isEqualTo(1);
    });
    assertThat(pf.numaNode()).isEmpty();
    NetDev eth3 = pf.netdevs().get(0);
    assertThat(eth3.name()).isEqualTo("eth3");
    assertThat(eth3.mac()).contains(MacAddress.parse("52:54:00:12:34:57"));
    assertThat(eth3.operState()).isEqualTo(OperState.UP);
    assertThat(eth3.speedMbps()).isEqualTo(OptionalInt.of(1000));
    assertThat(eth3.management()).isFalse();

    SriovCapability sriov = pf.sriov().orElseThrow();
    assertThat(sriov.totalVfs()).isEqualTo(7);
    assertThat(sriov.numVfs()).isEqualTo(2);
    assertThat(sriov.vfDeviceId()).isEqualTo(OptionalInt.of(0x10ca));
    assertThat(sriov.offset()).isEqualTo(128);
    assertThat(sriov.stride()).isEqualTo(2);
    assertThat(sriov.vfs()).extracting(VirtualFunction::address)
        .containsExactly(pci("0000:01:10.0"), pci("0000:01:10.2"));
    assertThat(sriov.vfs()).extracting(VirtualFunction::driver)
        .containsOnly(Optional.of("igbvf"));
    assertThat(sriov.vfs()).extracting(VirtualFunction::netdev)
        .containsExactly(Optional.of("eth4"), Optional.of("eth5"));
    assertThat(sriov.vfs()).extracting(VirtualFunction::iommuGroup)
        .containsExactly(OptionalInt.of(9), OptionalInt.of(10));
    assertThat(sriov.vfs()).allSatisfy(vf -> assertThat(vf.mac()).isPresent());
    // PF 01:00.0 routing id 0x100; VF n at 0x100 + 128 + 2n.
    assertThat(sriov.creatableVfAddresses()).containsExactly(pci("0000:01:10.4"),
        pci("0000:01:10.6"), pci("0000:01:11.0"), pci("0000:01:11.2"), pci("0000:01:11.4"));

    NetworkCard dual = inventory.cards().get(2);
    assertThat(dual.portCount()).isEqualTo(2);
    assertThat(dual.ports()).extracting(NetworkFunction::deviceId).containsOnly(0x10d3);
    assertThat(dual.ports()).extracting(NetworkFunction::driver).containsOnly(Optional.of("e1000e"));
    assertThat(dual.ports()).extracting(NetworkFunction::iommuGroup).containsOnly(OptionalInt.of(8));
    assertThat(dual.ports().stream().map(p -> netdevNames(p).get(0)))
        .containsExactly("eth1", "eth2");
    // VFs are no ports of any card.
    assertThat(inventory.functions().map(NetworkFunction::address))
        .doesNotContain(pci("0000:01:10.0"), pci("0000:01:10.2"));

    assertThat(inventory.iommu().vendor()).isEqualTo(IommuVendor.INTEL_VTD);
    assertThat(inventory.iommu().present()).isTrue();
    assertThat(inventory.iommu().enabled()).isTrue();
    assertThat(inventory.iommu().acpiTableReadable()).isEqualTo(Tristate.YES);
    assertThat(inventory.iommu().units()).containsExactly("dmar0");
    assertThat(inventory.iommu().kernelParameters()).containsExactly("intel_iommu=on");
    assertThat(inventory.iommu().passthroughMode()).isFalse();
    assertThat(inventory.iommu().interruptRemappingSupported()).isEqualTo(Tristate.YES);
    assertThat(inventory.iommu().interruptRemapping()).isEqualTo(Tristate.YES);
    assertThat(inventory.iommu().allowUnsafeInterrupts()).isFalse();
    assertThat(inventory.iommu().groups()).extracting(IommuGroup::id)
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    IommuGroup group8 = inventory.iommu().group(8).orElseThrow();
    assertThat(members(group8)).containsExactly("0000:02:00.0", "0000:02:00.1");
    assertThat(group8.viable()).as("both ports are bound to e1000e").isFalse();
    assertThat(members(inventory.iommu().group(7).orElseThrow())).containsExactly("0000:01:00.0");
    assertThat(members(inventory.iommu().group(9).orElseThrow())).containsExactly("0000:01:10.0");
    assertThat(members(inventory.iommu().group(10).orElseThrow())).containsExactly("0000:01:10.2");
    assertThat(inventory.iommu().group(4).orElseThrow().viable()).as("a root port alone").isTrue();
    assertThat(members(inventory.iommu().group(6).orElseThrow()))
        .containsExactly("0000:00:1f.0", "0000:00:1f.2", "0000:00:1f.3");
    assertThat(inventory.iommu().group(6).orElseThrow().viable()).as("ICH9 without drivers").isTrue();

    assertThat(inventory.vhostNetAvailable()).as("captures hold no /dev").isFalse();
    assertThat(inventory.diagnostics()).isEmpty();
    assertThat(inventory.functions()).allSatisfy(f -> assertThat(f.diagnostics()).isEmpty());
  }

  @Test
  void d2IsVirtioOnlyWithTheNetdevUnderVirtio2AndNoIommu() {
    HostInventory inventory = Captures.detect(Captures.D2);

    assertThat(slots(inventory)).containsExactly("0000:00:03");
    assertVirtioManagementNic(inventory, 0x1041);
    assertThat(function(inventory, "0000:00:03.0").iommuGroup()).isEmpty();
    assertThat(inventory.iommu().vendor()).isEqualTo(IommuVendor.NONE);
    assertThat(inventory.iommu().present()).isFalse();
    assertThat(inventory.iommu().enabled()).isFalse();
    assertThat(inventory.iommu().groups()).isEmpty();
    assertThat(inventory.iommu().units()).isEmpty();
    assertThat(inventory.iommu().interruptRemapping()).isEqualTo(Tristate.NO);
    assertThat(inventory.diagnostics()).isEmpty();
  }

  @Test
  void d3IsAmdViWithAQuadPortCardInOneGroupAndNoInterruptRemapping() {
    HostInventory inventory = Captures.detect(Captures.D3);

    assertThat(slots(inventory)).containsExactly("0000:00:03", "0000:01:00");
    assertVirtioManagementNic(inventory, 0x1000);
    assertThat(function(inventory, "0000:00:03.0").iommuGroup()).isEqualTo(OptionalInt.of(2));
    NetworkCard quad = inventory.cards().get(1);
    assertThat(quad.portCount()).isEqualTo(4);
    assertThat(quad.ports()).extracting(p -> p.address().toString())
        .containsExactly("0000:01:00.0", "0000:01:00.1", "0000:01:00.2", "0000:01:00.3");
    assertThat(quad.ports().stream().map(p -> netdevNames(p).get(0)))
        .containsExactly("eth1", "eth2", "eth3", "eth4");
    assertThat(quad.ports().stream().map(p -> p.netdevs().get(0).mac().orElseThrow().value()))
        .containsExactly("52:54:00:12:35:00", "52:54:00:12:35:01", "52:54:00:12:35:02",
            "52:54:00:12:35:03");
    assertThat(quad.ports()).extracting(NetworkFunction::iommuGroup).containsOnly(OptionalInt.of(6));

    assertThat(inventory.iommu().vendor()).isEqualTo(IommuVendor.AMD_VI);
    assertThat(inventory.iommu().present()).isTrue();
    assertThat(inventory.iommu().enabled()).isTrue();
    assertThat(inventory.iommu().units()).containsExactly("ivhd0");
    assertThat(inventory.iommu().acpiTableReadable()).isEqualTo(Tristate.YES);
    assertThat(inventory.iommu().interruptRemapping()).isEqualTo(Tristate.NO);
    assertThat(inventory.iommu().kernelParameters()).containsExactly("intremap=off");
    assertThat(inventory.iommu().groups()).extracting(IommuGroup::id)
        .containsExactly(0, 1, 2, 3, 4, 5, 6);
    IommuGroup group6 = inventory.iommu().group(6).orElseThrow();
    assertThat(members(group6))
        .containsExactly("0000:01:00.0", "0000:01:00.1", "0000:01:00.2", "0000:01:00.3");
    assertThat(group6.viable()).isFalse();
    assertThat(members(inventory.iommu().group(4).orElseThrow())).containsExactly("0000:00:05.0");
    // The AMD IOMMU's own function is in no group.
    assertThat(inventory.iommu().groups().stream().flatMap(g -> g.members().stream())
        .map(m -> m.address().toString())).doesNotContain("0000:00:02.0");
    assertThat(inventory.diagnostics()).isEmpty();
  }

  @Test
  void d4HasNoInterruptRemappingAnIdleSriovPfAndAPfWithoutDriver() {
    HostInventory inventory = Captures.detect(Captures.D4);

    assertThat(slots(inventory)).containsExactly("0000:00:03", "0000:01:00", "0000:02:00");
    assertVirtioManagementNic(inventory, 0x1000);
    assertThat(inventory.iommu().vendor()).isEqualTo(IommuVendor.INTEL_VTD);
    assertThat(inventory.iommu().enabled()).isTrue();
    assertThat(inventory.iommu().interruptRemappingSupported()).as("DMAR flags 0x00")
        .isEqualTo(Tristate.NO);
    assertThat(inventory.iommu().interruptRemapping()).isEqualTo(Tristate.NO);
    assertThat(inventory.iommu().groups()).hasSize(9);

    NetworkFunction idle = function(inventory, "0000:01:00.0");
    assertThat(idle.driver()).contains("igb");
    assertThat(netdevNames(idle)).containsExactly("eth1");
    assertThat(idle.iommuGroup()).isEqualTo(OptionalInt.of(7));
    SriovCapability idleSriov = idle.sriov().orElseThrow();
    assertThat(idleSriov.totalVfs()).isEqualTo(7);
    assertThat(idleSriov.numVfs()).isZero();
    assertThat(idleSriov.vfs()).isEmpty();
    assertThat(idleSriov.vfDeviceId()).isEqualTo(OptionalInt.of(0x10ca));
    assertThat(idleSriov.creatableVfAddresses()).hasSize(7).startsWith(pci("0000:01:10.0"));

    NetworkFunction unbound = function(inventory, "0000:02:00.0");
    assertThat(unbound.driver()).isEmpty();
    assertThat(unbound.netdevs()).isEmpty();
    assertThat(unbound.iommuGroup()).isEqualTo(OptionalInt.of(8));
    assertThat(unbound.sriov().orElseThrow().totalVfs()).isEqualTo(8);
    assertThat(unbound.sriov().orElseThrow().numVfs()).isZero();
    assertThat(inventory.iommu().group(8).orElseThrow().viable()).as("its only member is unbound")
        .isTrue();
    assertThat(inventory.iommu().group(7).orElseThrow().viable()).isFalse();
    assertThat(inventory.diagnostics()).isEmpty();
  }

  @Test
  void d5HasVtdHardwareTurnedOffVfsWithoutGroupsAndARockerSwitch() {
    HostInventory inventory = Captures.detect(Captures.D5);

    assertThat(slots(inventory)).containsExactly("0000:00:03", "0000:00:06", "0000:01:00");
    assertVirtioManagementNic(inventory, 0x1000);
    assertThat(inventory.iommu().vendor()).isEqualTo(IommuVendor.INTEL_VTD);
    assertThat(inventory.iommu().present()).isTrue();
    assertThat(inventory.iommu().enabled()).isFalse();
    assertThat(inventory.iommu().groups()).isEmpty();
    assertThat(inventory.iommu().units()).isEmpty();
    assertThat(inventory.iommu().kernelParameters()).containsExactly("intel_iommu=off");
    assertThat(inventory.iommu().interruptRemappingSupported()).isEqualTo(Tristate.YES);
    assertThat(inventory.iommu().interruptRemapping()).isEqualTo(Tristate.YES);

    NetworkFunction pf = function(inventory, "0000:01:00.0");
    assertThat(pf.iommuGroup()).isEmpty();
    SriovCapability sriov = pf.sriov().orElseThrow();
    assertThat(sriov.numVfs()).isEqualTo(2);
    assertThat(sriov.vfs()).extracting(VirtualFunction::address)
        .containsExactly(pci("0000:01:10.0"), pci("0000:01:10.2"));
    assertThat(sriov.vfs()).extracting(VirtualFunction::netdev)
        .containsExactly(Optional.of("eth2"), Optional.of("eth3"));
    assertThat(sriov.vfs()).extracting(VirtualFunction::iommuGroup).containsOnly(OptionalInt.empty());

    NetworkFunction rocker = function(inventory, "0000:00:06.0");
    assertThat(rocker.classCode()).isEqualTo(0x028000);
    assertThat(rocker.networkClass()).isEqualTo(NetworkClass.OTHER);
    assertThat(rocker.vendorId()).isEqualTo(0x1b36);
    assertThat(rocker.deviceId()).isEqualTo(0x0006);
    assertThat(rocker.driver()).isEmpty();
    assertThat(rocker.netdevs()).isEmpty();
    assertThat(inventory.diagnostics()).isEmpty();
  }

  @Test
  void d6HasOneRockerFunctionWithTwoNetdevsToldApartByPortName() {
    HostInventory inventory = Captures.detect(Captures.D6);

    assertThat(slots(inventory)).containsExactly("0000:00:03", "0000:00:06");
    assertVirtioManagementNic(inventory, 0x1000);
    NetworkFunction rocker = function(inventory, "0000:00:06.0");
    assertThat(rocker.classCode()).isEqualTo(0x028000);
    assertThat(rocker.networkClass()).isEqualTo(NetworkClass.OTHER);
    assertThat(rocker.driver()).contains("rocker");
    assertThat(rocker.iommuGroup()).isEqualTo(OptionalInt.of(4));
    assertThat(inventory.cards().get(1).portCount()).as("one function, however many netdevs")
        .isEqualTo(1);
    assertThat(netdevNames(rocker)).containsExactly("eth1", "eth2");
    assertThat(rocker.netdevs()).extracting(NetDev::devPort).containsOnly(0);
    assertThat(rocker.netdevs()).extracting(NetDev::physPortName)
        .containsExactly(Optional.of("sw0p1"), Optional.of("sw0p2"));
    assertThat(rocker.netdevs()).extracting(n -> n.mac().orElseThrow().value())
        .containsExactly("52:54:00:12:35:01", "52:54:00:12:35:02");
    assertThat(rocker.netdevs()).extracting(NetDev::operState).containsOnly(OperState.UP);
    assertThat(members(inventory.iommu().group(4).orElseThrow())).containsExactly("0000:00:06.0");
    assertThat(inventory.iommu().groups()).hasSize(6);
    assertThat(inventory.iommu().interruptRemappingSupported()).isEqualTo(Tristate.YES);
    assertThat(inventory.iommu().interruptRemapping()).isEqualTo(Tristate.YES);
    assertThat(inventory.diagnostics()).isEmpty();
  }

  @Test
  void anUnpackedCaptureGivesTheSameInventoryAsItsTarGz() {
    Path directory = Captures.scratchDirectory();
    try {
      unpackedCapturesMatch(directory);
    } finally {
      TreeEditor.deleteRecursively(directory);
    }
  }

  private static void unpackedCapturesMatch(Path directory) {
    for (String name : Captures.ALL) {
      Path root = Captures.unpack(name, directory.resolve(name));
      HostInventory fromDirectory =
          HostDetector.forRoot(root).withPciIds(Captures.pciIds()).detect();
      assertThat(fromDirectory.source()).isEqualTo(root.toAbsolutePath().toString());
      assertThat(Captures.withoutSource(fromDirectory))
          .as(name).isEqualTo(Captures.withoutSource(Captures.detect(name)));
    }
  }
}
