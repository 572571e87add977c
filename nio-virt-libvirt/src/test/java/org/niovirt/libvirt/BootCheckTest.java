package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.niovirt.libvirt.testing.TestHosts.nodeFileUri;
import static org.niovirt.libvirt.testing.TestHosts.options;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkCard;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.libvirt.testing.TestHosts;
import org.niovirt.libvirt.xml.DomainXmlCodec;

/**
 * Defined guests against the host as it is now: the sixteen-VF test host read from libvirt's node
 * devices, and the same host "after a reboot" that re-created only two VFs of its first PF.
 */
class BootCheckTest {
  private static final PciAddress PF = PciAddress.parse("0000:01:00.0");
  @TempDir static Path dir;
  private static HostInventory host;

  @BeforeAll
  static void readTheHost() {
    try (LibvirtHost libvirt = LibvirtHost.connect(nodeFileUri("sixteen-vfs.xml"), options(dir).build())) {
      host = NodeDeviceInventory.read(libvirt, TestHosts.inventoryOptions().build());
    }
  }

  /** The host with only VFs 0 and 1 of {@link #PF}, as after a reboot that re-created two. */
  private static HostInventory withTwoVfsOnThePf() {
    List<NetworkCard> cards = host.cards().stream().map(card -> NetworkCard.builder().from(card)
        .ports(card.ports().stream().map(BootCheckTest::twoVfs).collect(Collectors.toList())).build())
        .collect(Collectors.toList());
    return HostInventory.builder().from(host).cards(cards).build();
  }

  private static NetworkFunction twoVfs(NetworkFunction function) {
    if (!function.address().equals(PF)) {
      return function;
    }
    SriovCapability sriov = function.sriov().orElseThrow();
    return NetworkFunction.builder().from(function).sriov(SriovCapability.builder().from(sriov)
        .numVfs(2).vfs(sriov.vfs().subList(0, 2)).build()).build();
  }

  private static PciAddress vf(int index) {
    return host.function(PF).orElseThrow().sriov().orElseThrow().vfs().get(index).address();
  }

  /** A shut-off guest holding {@code device}; with nio-virt's record of PF and VF index when given. */
  private static GuestSummary guest(String name, PciAddress device, Integer recordedIndex) {
    String address = "<address type='pci' domain='0x0000' bus='0x" + String.format("%02x", device.bus())
        + "' slot='0x" + String.format("%02x", device.slot()) + "' function='0x" + device.function() + "'/>";
    String record = recordedIndex == null ? "" : "<metadata><niovirt:plan xmlns:niovirt="
        + "'https://niovirt.org/xmlns/plan/1' guest='" + name + "'><niovirt:nic index='0'"
        + " technology='sriov' pf='" + PF + "' vf-index='" + recordedIndex + "'><niovirt:device>"
        + device + "</niovirt:device><niovirt:reason>a VF</niovirt:reason></niovirt:nic>"
        + "</niovirt:plan></metadata>";
    String xml = "<domain type='kvm'><name>" + name + "</name>" + record
        + "<memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices>"
        + "<interface type='hostdev' managed='yes'><source>" + address + "</source></interface>"
        + "</devices></domain>";
    return GuestSummary.builder().name(name).uuid(UUID.randomUUID()).state(DomainState.SHUT_OFF)
        .persistent(true).domainXml(DomainXmlCodec.unmarshal(xml)).build();
  }

  @Test
  void aGuestWhoseVfExistsAndWhosePfIsUpIsFine() {
    assertThat(BootCheck.check(List.of(guest("fine", vf(1), 1)), host)).isEmpty();
  }

  @Test
  void aVfThatARebootDidNotReCreateIsMissingWithItsFix() {
    List<BootCheck.Finding> findings =
        BootCheck.check(List.of(guest("late", vf(5), 5), guest("unrecorded", vf(6), null)), withTwoVfsOnThePf());

    assertThat(findings).extracting(BootCheck.Finding::kind)
        .containsExactly(BootCheck.Kind.VF_MISSING, BootCheck.Kind.VF_MISSING);
    assertThat(findings.get(0).fix()).contains("VF 5 of 0000:01:00.0 does not exist (sriov_numvfs is 2)",
        "raise it to at least 6", "nio-virt host persist");
    assertThat(findings.get(1).guest()).isEqualTo("unrecorded");
  }

  @Test
  void aVfFoundAgainAtAnotherAddressByItsRecordedIndexHasMoved() {
    // The record says VF 1, the XML still names VF 0's address (the VFs were re-created shifted).
    List<BootCheck.Finding> findings = BootCheck.check(List.of(guest("shifted", vf(0), 1)), host);

    assertThat(findings).singleElement().satisfies(finding -> {
      assertThat(finding.kind()).isEqualTo(BootCheck.Kind.VF_MOVED);
      assertThat(finding.nowAt()).contains(vf(1));
      assertThat(finding.fix()).contains("VF 1 of 0000:01:00.0 is now " + vf(1));
    });
  }

  @Test
  void aDeviceOnNoPfOfThisHostIsGone() {
    assertThat(BootCheck.check(List.of(guest("moved-away", PciAddress.parse("0000:99:00.1"), null)), host))
        .singleElement().extracting(BootCheck.Finding::kind).isEqualTo(BootCheck.Kind.DEVICE_GONE);
  }
}
