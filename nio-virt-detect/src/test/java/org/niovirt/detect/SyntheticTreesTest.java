package org.niovirt.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.Diagnostic;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuVendor;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkClass;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.Tristate;
import org.niovirt.api.model.VirtualFunction;

/**
 * Machines the captures do not cover, derived from the real d1/d4 trees by editing a copy:
 * several netdevs with dev_port, InfiniBand, a PF without driver, sriov_totalvfs 0, management
 * behind a bridge/bond/VLAN, IPv6-only routes, non-root ACPI access, absolute links.
 */
class SyntheticTreesTest {
  static final String PF = "sys/devices/pci0000:00/0000:00:04.0/0000:01:00.0";
  static final String VF0 = "sys/devices/pci0000:00/0000:00:04.0/0000:01:10.0";
  static final String PORT0 = "sys/devices/pci0000:00/0000:00:05.0/0000:02:00.0";
  static final String PORT1 = "sys/devices/pci0000:00/0000:00:05.0/0000:02:00.1";
  static final String ROUTE_HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask"
      + "\t\tMTU\tWindow\tIRTT\n";

  Path temp;
  TreeEditor d1;

  @BeforeEach
  void unpackD1() {
    temp = Captures.scratchDirectory();
    d1 = new TreeEditor(Captures.unpack(Captures.D1, temp.resolve("d1")));
  }

  @AfterEach
  void deleteTrees() {
    TreeEditor.deleteRecursively(temp);
  }

  private HostInventory detect(TreeEditor tree) {
    return HostDetector.forRoot(tree.root).withPciIds(Captures.pciIds()).detect();
  }

  private static NetworkFunction function(HostInventory inventory, String address) {
    return inventory.function(PciAddress.parse(address)).orElseThrow();
  }

  private static String defaultRoute(String iface) {
    return iface + "\t00000000\t0202000A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n";
  }

  /** Diagnostics about one device, wherever the scan put them. */
  static List<String> diagnosticsOf(HostInventory inventory, String address) {
    List<String> found = inventory.diagnostics().stream()
        .filter(d -> d.subject().equals(address))
        .map(Diagnostic::message)
        .collect(Collectors.toList());
    inventory.functions().forEach(f -> f.diagnostics().stream()
        .filter(m -> f.address().toString().equals(address) || m.startsWith(address))
        .forEach(found::add));
    return found;
  }

  @Test
  void aFunctionWithSeveralNetdevsListsThemByDevPort() {
    d1.mkdirs(PORT0 + "/net/aaa1")
        .write(PORT0 + "/net/aaa1/address", "52:54:00:12:34:99\n")
        .write(PORT0 + "/net/aaa1/operstate", "down\n")
        .write(PORT0 + "/net/aaa1/dev_port", "1\n");

    NetworkFunction port = function(detect(d1), "0000:02:00.0");

    assertThat(port.netdevs()).extracting(NetDev::name).containsExactly("eth1", "aaa1");
    assertThat(port.netdevs()).extracting(NetDev::devPort).containsExactly(0, 1);
    assertThat(port.netdevs().get(1).mac().orElseThrow().value()).isEqualTo("52:54:00:12:34:99");
    assertThat(port.diagnostics()).isEmpty();
  }

  @Test
  void anInfinibandFunctionIsToldApartAndItsLongAddressIsNoMac() {
    d1.write(PORT1 + "/class", "0x020700\n")
        .write(PORT1 + "/vendor", "0x15b3\n")
        .write(PORT1 + "/device", "0x1003\n")
        .write(PORT1 + "/net/eth2/address",
            "80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0a:0b:0c\n");

    HostInventory inventory = detect(d1);
    NetworkFunction ib = function(inventory, "0000:02:00.1");

    assertThat(ib.networkClass()).isEqualTo(NetworkClass.INFINIBAND);
    assertThat(ib.vendorName()).contains("Mellanox Technologies");
    assertThat(ib.deviceName()).contains("MT27500 Family [ConnectX-3]");
    assertThat(ib.netdevs().get(0).mac()).isEmpty();
    assertThat(ib.diagnostics()).isEmpty();
    assertThat(function(inventory, "0000:02:00.0").networkClass()).isEqualTo(NetworkClass.ETHERNET);
  }

  @Test
  void vfsOfAPfWithoutDriverAreStillListed() {
    d1.delete(PF + "/driver");

    NetworkFunction pf = function(detect(d1), "0000:01:00.0");

    assertThat(pf.driver()).isEmpty();
    assertThat(pf.sriov().orElseThrow().vfs()).extracting(VirtualFunction::driver)
        .containsOnly(Optional.of("igbvf"));
    assertThat(pf.sriov().orElseThrow().numVfs()).isEqualTo(2);
    assertThat(pf.diagnostics()).isEmpty();
  }

  @Test
  void sriovTotalVfsZeroIsACapabilityWithoutVfs() {
    TreeEditor d4 = new TreeEditor(Captures.unpack(Captures.D4, temp.resolve("d4")));
    d4.write(PF + "/sriov_totalvfs", "0\n")
        .write(PF + "/sriov_offset", "0\n")
        .write(PF + "/sriov_stride", "0\n");

    NetworkFunction pf = function(detect(d4), "0000:01:00.0");

    SriovCapability sriov = pf.sriov().orElseThrow();
    assertThat(sriov.totalVfs()).isZero();
    assertThat(sriov.numVfs()).isZero();
    assertThat(sriov.creatableVfAddresses()).isEmpty();
    assertThat(pf.diagnostics()).isEmpty();
  }

  @Test
  void aPortUnderTheBridgeThatCarriesTheDefaultRouteIsManagement() {
    d1.write("proc/net/route", ROUTE_HEADER + defaultRoute("br0"))
        .mkdirs("sys/devices/virtual/net/br0")
        .link("sys/class/net/br0", "../../devices/virtual/net/br0")
        .link(PORT0 + "/net/eth1/master", "../../../../../virtual/net/br0")
        .link(PORT0 + "/net/eth1/upper_br0", "../../../../../virtual/net/br0");

    HostInventory inventory = detect(d1);

    assertThat(inventory.managementInterfaces()).containsExactly("br0");
    assertThat(function(inventory, "0000:02:00.0").netdevs().get(0).management()).isTrue();
    assertThat(inventory.managementFunctions()).containsExactly(PciAddress.parse("0000:02:00.0"));
    assertThat(function(inventory, "0000:00:03.0").isManagement()).isFalse();
  }

  @Test
  void aPortUnderABondUnderAVlanThatCarriesTheRouteIsManagement() {
    d1.write("proc/net/route", ROUTE_HEADER + defaultRoute("bond0.100"))
        .mkdirs("sys/devices/virtual/net/bond0")
        .mkdirs("sys/devices/virtual/net/bond0.100")
        .link("sys/class/net/bond0", "../../devices/virtual/net/bond0")
        .link("sys/class/net/bond0.100", "../../devices/virtual/net/bond0.100")
        .link("sys/devices/virtual/net/bond0/upper_bond0.100", "../bond0.100")
        .link(PORT1 + "/net/eth2/master", "../../../../../virtual/net/bond0");

    HostInventory inventory = detect(d1);

    assertThat(inventory.managementFunctions()).containsExactly(PciAddress.parse("0000:02:00.1"));
  }

  @Test
  void aPortThatOnlyTheBridgeNamesAsItsLowerIsStillManagement() {
    d1.write("proc/net/route", ROUTE_HEADER + defaultRoute("br0"))
        .mkdirs("sys/devices/virtual/net/br0")
        .link("sys/class/net/br0", "../../devices/virtual/net/br0")
        .link("sys/devices/virtual/net/br0/lower_eth2", "../../../pci0000:00/0000:00:05.0/0000:02:00.1/net/eth2");

    HostInventory inventory = detect(d1);
    NetworkFunction port = function(inventory, "0000:02:00.1");

    assertThat(port.netdevs().get(0).management()).isTrue();
    assertThat(inventory.managementFunctions()).containsExactly(PciAddress.parse("0000:02:00.1"));
    assertThat(port.diagnostics()).containsExactly("eth2 carries the default route through an"
        + " interface that its own links do not name; marked as management");
  }

  @Test
  void aManagementNetdevTheDeviceListingCannotSeeIsFoundFromTheRoute() {
    TreeSource hidingNetdevs = new DenyingSource(new FileSystemSource(d1.root),
        path -> false, path -> path.endsWith("0000:00:03.0/virtio1/net"));

    HostInventory inventory = HostDetector.forSource(hidingNetdevs, "hiding").detect();
    NetworkFunction virtio = function(inventory, "0000:00:03.0");

    assertThat(virtio.isManagement()).isTrue();
    assertThat(virtio.netdevs()).extracting(NetDev::name).containsExactly("eth0");
    assertThat(virtio.netdevs().get(0).mac().orElseThrow().value()).isEqualTo("52:54:00:12:34:56");
    assertThat(virtio.diagnostics()).containsExactly(
        "virtio1/net: permission denied",
        "eth0 carries the default route but was not found under the function's net/ directory;"
            + " added from /sys/class/net");
    assertThat(inventory.managementFunctions()).containsExactly(PciAddress.parse("0000:00:03.0"));
  }

  @Test
  void aVfCarryingTheDefaultRouteIsManagement() {
    d1.write("proc/net/route", ROUTE_HEADER + defaultRoute("eth4"));

    HostInventory inventory = detect(d1);
    VirtualFunction vf0 = function(inventory, "0000:01:00.0").sriov().orElseThrow().vfs().get(0);

    assertThat(vf0.management()).isTrue();
    assertThat(inventory.managementFunctions()).containsExactly(PciAddress.parse("0000:01:10.0"));
  }

  @Test
  void anIpv6OnlyDefaultRouteCountsAndTheRejectRouteOnLoDoesNot() {
    d1.write("proc/net/route", ROUTE_HEADER)
        .write("proc/net/ipv6_route",
            "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
                + "fe800000000000000000000000000001 00000400 00000001 00000000 00000003     eth3\n"
                + "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
                + "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n");

    HostInventory inventory = detect(d1);

    assertThat(inventory.managementInterfaces()).containsExactly("eth3");
    assertThat(inventory.managementFunctions()).containsExactly(PciAddress.parse("0000:01:00.0"));
  }

  @Test
  void noDefaultRouteMeansNoManagementNic() {
    d1.write("proc/net/route", ROUTE_HEADER
        + "eth0\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");

    HostInventory inventory = detect(d1);

    assertThat(inventory.managementInterfaces()).isEmpty();
    assertThat(inventory.managementFunctions()).isEmpty();
    assertThat(InventoryTable.render(inventory)).contains("Management interfaces: none (no default route)");
  }

  @Test
  void vhostNetIsSeenUnderTheRoot() {
    d1.write("dev/vhost-net", "");
    assertThat(detect(d1).vhostNetAvailable()).isTrue();
  }

  @Test
  void passthroughModeAndUnsafeInterruptsComeFromTheCommandLineUnlessTheModuleSaysOtherwise() {
    d1.write("proc/cmdline", "BOOT_IMAGE=/vmlinuz intel_iommu=on iommu=pt "
        + "vfio_iommu_type1.allow_unsafe_interrupts=1 quiet -- iommu=nopt\n");

    HostInventory commandLineOnly = detect(d1);
    d1.write("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", "N\n");
    HostInventory moduleLoaded = detect(d1);

    assertThat(commandLineOnly.iommu().kernelParameters()).as("words after -- go to init")
        .containsExactly("intel_iommu=on", "iommu=pt", "vfio_iommu_type1.allow_unsafe_interrupts=1");
    assertThat(commandLineOnly.iommu().passthroughMode()).isTrue();
    assertThat(commandLineOnly.iommu().allowUnsafeInterrupts()).isTrue();
    assertThat(moduleLoaded.iommu().allowUnsafeInterrupts()).isFalse();
  }

  @Test
  void withoutTheDmarTableTheUnitStillTellsVtdButRemappingSupportIsUnknown() {
    d1.delete("sys/firmware/acpi/tables/DMAR");

    HostInventory inventory = detect(d1);

    assertThat(inventory.iommu().vendor()).isEqualTo(IommuVendor.INTEL_VTD);
    assertThat(inventory.iommu().present()).isTrue();
    assertThat(inventory.iommu().enabled()).isTrue();
    assertThat(inventory.iommu().acpiTableReadable()).isEqualTo(Tristate.UNKNOWN);
    assertThat(inventory.iommu().interruptRemappingSupported()).isEqualTo(Tristate.UNKNOWN);
    assertThat(inventory.iommu().interruptRemapping()).as("the IR- chips still say so")
        .isEqualTo(Tristate.YES);
  }

  @Test
  void withoutProcInterruptsTheIrqChipNamesInSysfsTellWhetherInterruptsAreRemapped() {
    TreeEditor d4 = new TreeEditor(Captures.unpack(Captures.D4, temp.resolve("d4")));
    d1.delete("proc/interrupts");
    d4.delete("proc/interrupts");

    assertThat(detect(d1).iommu().interruptRemapping()).isEqualTo(Tristate.YES);
    assertThat(detect(d4).iommu().interruptRemapping()).isEqualTo(Tristate.NO);
    d1.delete("sys/kernel/irq");
    assertThat(detect(d1).iommu().interruptRemapping()).isEqualTo(Tristate.UNKNOWN);
  }

  @Test
  void aFifoWhereAFileBelongsIsReportedInsteadOfBlockingTheScan() throws Exception {
    d1.delete(PF + "/vendor");
    Process mkfifo = new ProcessBuilder("mkfifo", d1.at(PF + "/vendor").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();

    HostInventory inventory = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> detect(d1));

    assertThat(function(inventory, "0000:01:00.0").diagnostics())
        .contains("vendor: unreadable (IOException: not a regular file)");
  }

  @Test
  void aDmarTableOnlyRootCanReadIsReportedAsUnreadable() {
    TreeSource unprivileged = new DenyingSource(new FileSystemSource(d1.root),
        path -> path.startsWith("sys/firmware/acpi/tables/"), path -> false);

    HostInventory inventory = HostDetector.forSource(unprivileged, "non-root").detect();

    assertThat(inventory.iommu().vendor()).isEqualTo(IommuVendor.INTEL_VTD);
    assertThat(inventory.iommu().acpiTableReadable()).isEqualTo(Tristate.NO);
    assertThat(inventory.iommu().interruptRemappingSupported()).isEqualTo(Tristate.UNKNOWN);
    assertThat(inventory.diagnostics())
        .contains(Diagnostic.of("iommu", "sys/firmware/acpi/tables/DMAR: permission denied"));
  }

  @Test
  void aDmarTableWithABadChecksumIsReportedAndNotTrusted() {
    byte[] dmar = d1.readBytes("sys/firmware/acpi/tables/DMAR");
    dmar[10] ^= 0x20;
    d1.writeBytes("sys/firmware/acpi/tables/DMAR", dmar);

    HostInventory inventory = detect(d1);

    assertThat(inventory.iommu().interruptRemappingSupported()).isEqualTo(Tristate.UNKNOWN);
    assertThat(inventory.diagnostics()).extracting(Diagnostic::message)
        .anyMatch(m -> m.startsWith("DMAR: checksum mismatch"));
  }

  @Test
  void anAbsoluteLinkInACapturedTreeStaysInsideTheTree() {
    d1.link("sys/bus/pci/devices/0000:01:00.0", "/sys/devices/pci0000:00/0000:00:04.0/0000:01:00.0")
        .link(PF + "/virtfn0", "../../../../../../../../../../../sys/devices/pci0000:00/0000:00:04.0/0000:01:10.0");

    HostInventory inventory = detect(d1);

    assertThat(Captures.withoutSource(inventory))
        .isEqualTo(Captures.withoutSource(Captures.detect(Captures.D1)));
  }

  @Test
  void aVfItsPfDoesNotListIsReportedAndTheCountsDisagree() {
    d1.delete(PF + "/virtfn1");

    HostInventory inventory = detect(d1);

    assertThat(diagnosticsOf(inventory, "0000:01:10.2"))
        .containsExactly("virtual function of 0000:01:00.0, which does not list it: left out");
    assertThat(function(inventory, "0000:01:00.0").diagnostics())
        .containsExactly("sriov_numvfs is 2 but 1 VF(s) were found");
  }

  @Test
  void aGroupMemberWhoseClassCannotBeReadBlocksItsGroup() {
    d1.write("sys/devices/pci0000:00/0000:00:1f.2/class", "abc\n");

    HostInventory inventory = detect(d1);

    assertThat(inventory.iommu().group(6).orElseThrow().viable()).isFalse();
    assertThat(diagnosticsOf(inventory, "0000:00:1f.2"))
        .containsExactly("class: expected a hex number such as 0x8086, read 'abc'");
  }

  @Test
  void aRootThatDoesNotExistIsAClearError() throws IOException {
    Path missing = temp.resolve("no-such-root");
    Path file = Files.writeString(temp.resolve("plain-file"), "x");

    assertThatThrownBy(() -> HostDetector.forRoot(missing))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("root: invalid value '" + missing + "': no such directory")
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("root"));
    assertThatThrownBy(() -> HostDetector.forRoot(file))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("root: invalid value '" + file + "': not a directory");
    assertThatThrownBy(() -> HostDetector.forRoot(null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("root: invalid value 'null'");
  }

  @Test
  void withoutPciIdsThereAreNoNamesButEverythingElse() {
    HostInventory inventory = HostDetector.forRoot(d1.root).withoutPciIds().detect();
    NetworkFunction pf = function(inventory, "0000:01:00.0");

    assertThat(pf.vendorName()).isEmpty();
    assertThat(pf.deviceName()).isEmpty();
    assertThat(pf.displayName()).isEqualTo("8086:10c9");
    assertThat(pf.iommuGroup()).isEqualTo(OptionalInt.of(7));
    assertThat(HostDetector.forRoot(d1.root).withPciIds(temp.resolve("missing.ids")).detect()
        .function(PciAddress.parse("0000:01:00.0")).orElseThrow().vendorName()).isEmpty();
  }
}
