package org.niovirt.vtd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.niovirt.api.fixtures.SyntheticHosts.port;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.niovirt.api.fixtures.CapturedHosts;
import org.niovirt.api.fixtures.Contexts;
import org.niovirt.api.fixtures.ProviderCase;
import org.niovirt.api.fixtures.SyntheticHosts;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuVendor;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.OperState;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.Tristate;
import org.niovirt.api.plan.PassthroughNic;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.api.spi.Proposal;

class VtdProviderTest {
  private static final HostInventory D1 = CapturedHosts.d1VtdSriovDual();
  private static final PlannerPolicy NO_WHOLE_GROUPS =
      PlannerPolicy.builder().takeWholeIommuGroups(false).build();

  /** One row: what VT-d must answer; {@code function} null means a refusal. */
  private static final class Case extends ProviderCase<Case> {
    String function;
    List<String> companions = List.of();

    Case(String name) {
      super(name, D1);
    }

    Case accepts(String address, String reasonPart, String... groupCompanions) {
      function = address;
      companions = List.of(groupCompanions);
      reason = reasonPart;
      return this;
    }
  }

  static Stream<Case> cases() {
    Case dualPort = new Case("d1: the dual-port card shares group 8, so both ports go")
        .accepts("0000:02:00.0", "0000:02:00.0 (eth1, e1000e) passed through whole with vfio-pci,"
            + " IOMMU group 8; the group also holds 0000:02:00.1 (eth2, e1000e), which the guest"
            + " takes too (functions without ACS share a group and go together); interrupt"
            + " remapping is on", "0000:02:00.1");

    Case wholeGroupsOff = new Case("d1, whole groups not allowed: the SR-IOV PF, its unused VFs removed")
        .accepts("0000:01:00.0", "0000:01:00.0 (eth3, igb) passed through whole with vfio-pci,"
            + " IOMMU group 7; the 2 unused VFs of 0000:01:00.0 are removed first (sriov_numvfs 2"
            + " -> 0): vfio-pci takes no PF that has VFs");
    wholeGroupsOff.policy = NO_WHOLE_GROUPS;

    Case groupRefused = new Case("d1: one port of group 8 alone is refused, naming the other")
        .device("0000:02:00.1")
        .refuses("IOMMU group 8 also holds 0000:02:00.0 (eth1, e1000e), and the host policy does"
            + " not let a guest take a whole group (takeWholeIommuGroups is off)");
    groupRefused.policy = NO_WHOLE_GROUPS;

    Case management = new Case("d1: the management NIC is never given")
        .device("0000:00:03.0")
        .refuses("0000:00:03.0 (eth0, virtio-pci) is the host's management NIC (it carries the"
            + " default route)");

    Case vfsInUse = new Case("d1: a PF whose VF a guest holds")
        .device("0000:01:00.0").held("0000:01:10.2", "web1")
        .refuses("0000:01:00.0 (eth3, igb) is an SR-IOV PF whose VFs are in use (0000:01:10.2"
            + " (VF 1 of 0000:01:00.0, eth5, igbvf) by guest web1)");

    Case assigned = new Case("d1: a function already assigned")
        .device("0000:02:00.0").held("0000:02:00.0", "db1")
        .refuses("0000:02:00.0 (eth1, e1000e) is already given to guest db1");

    Case companionAssigned = new Case("d1: the other port of the group is assigned")
        .device("0000:02:00.0").held("0000:02:00.1", "db1")
        .refuses("IOMMU group 8 also holds 0000:02:00.1 (eth2, e1000e), already given to guest db1");

    Case vf = new Case("d1: a VF is not for vtd")
        .device("0000:01:10.0")
        .refuses("the requested 0000:01:10.0 (VF 0 of 0000:01:00.0, eth4, igbvf) is an SR-IOV"
            + " VF: VFs go through sriov, not vtd");

    Case unknown = new Case("an address the host does not have")
        .device("0000:09:00.0")
        .refuses("the requested 0000:09:00.0 is not a network function of this host");

    Case remappingOff = new Case("interrupt remapping off: refused, saying how to accept it")
        .refuses("interrupt remapping is off, so a guest could forge interrupts to the host:"
            + " refused (turn interrupt remapping on in the firmware, or accept the risk with"
            + " vfio_iommu_type1 allow_unsafe_interrupts=1 or the host policy's"
            + " allowUnsafeInterrupts)");
    remappingOff.host = Contexts.withInterrupts(D1, Tristate.NO, false);

    Case vfioAllows = new Case("remapping off, vfio allow_unsafe_interrupts on: accepted, says so")
        .accepts("0000:02:00.0", "interrupt remapping is off; accepted because"
            + " vfio_iommu_type1's allow_unsafe_interrupts is on", "0000:02:00.1");
    vfioAllows.host = Contexts.withInterrupts(D1, Tristate.NO, true);

    Case policyAllows = new Case("remapping off, host policy allows it: accepted, says so")
        .accepts("0000:02:00.0", "interrupt remapping is off; accepted because the host policy"
            + " allows unsafe interrupts (vfio_iommu_type1 allow_unsafe_interrupts must be set to"
            + " 1 too, or vfio refuses the device)", "0000:02:00.1");
    policyAllows.host = Contexts.withInterrupts(D1, Tristate.NO, false);
    policyAllows.policy = PlannerPolicy.builder().allowUnsafeInterrupts(true).build();

    Case remappingUnknown = new Case("remapping unknown counts as not safe")
        .refuses("interrupt remapping could not be confirmed (no IR- interrupt chips seen), so a"
            + " guest could forge interrupts to the host: refused");
    remappingUnknown.host = Contexts.withInterrupts(D1, Tristate.UNKNOWN, false);

    Case iommuOff = new Case("d1 booted with intel_iommu=off")
        .refuses("the IOMMU (Intel VT-d) is present but not enabled (no IOMMU groups): add"
            + " intel_iommu=on to the kernel command line and reboot");
    iommuOff.host = Contexts.withIommuDisabled(D1);

    Case noIommu = new Case("d2 capture: no IOMMU at all")
        .refuses("the host has no IOMMU (no ACPI DMAR or IVRS table), so no device can be given"
            + " to a guest");
    noIommu.host = CapturedHosts.d2FirecrackerVirtio();

    Case hostDriverInGroup = new Case("a group that also holds a SATA controller the host uses")
        .device("0000:03:00.0")
        .refuses("IOMMU group 20 also holds 0000:00:1f.2 (storage controller, ahci), which the"
            + " host uses (every other member must be a bridge, on vfio-pci or pci-stub, or go"
            + " to the guest too)");
    hostDriverInGroup.host = host()
        .function(port("0000:03:00.0", "e1000e", "eth7", 20))
        .member(20, "0000:00:1f.2", 0x010601, "ahci").build();

    Case harmlessMembers = new Case("bridges and devices already on vfio-pci do not block")
        .accepts("0000:03:00.0", "0000:03:00.0 (eth7, e1000e) passed through whole with"
            + " vfio-pci, IOMMU group 20; interrupt remapping is on");
    harmlessMembers.host = host()
        .function(port("0000:03:00.0", "e1000e", "eth7", 20))
        .member(20, "0000:00:1c.0", SyntheticHosts.PCI_BRIDGE, "pcieport")
        .member(20, "0000:00:1f.2", 0x010601, "vfio-pci").build();

    Case managementCompanion = new Case("the management NIC shares the group: neither goes")
        .device("0000:04:00.0")
        .refuses("IOMMU group 30 also holds 0000:04:00.1 (eno2, e1000e), the host's management"
            + " NIC, so neither can be given to a guest");
    managementCompanion.host = host()
        .function(port("0000:04:00.0", "e1000e", "eno1", 30))
        .function(NetworkFunction.builder().from(port("0000:04:00.1", "e1000e", "eno2", 30))
            .netdevs(List.of(NetDev.builder().name("eno2").operState(OperState.UP)
                .management(true).build()))
            .build())
        .build();

    Case mac = new Case("a MAC cannot be given to a whole function");
    mac.nic = NicRequest.builder().addMac(MacAddress.parse("52:54:00:00:00:10")).build();
    mac.refuses("the request sets MAC 52:54:00:00:00:10, but a function passed through whole"
        + " keeps its own MAC (only SR-IOV VFs and virtio NICs take one)");

    Case vlan = new Case("a VLAN cannot be given to a whole function");
    vlan.nic = NicRequest.builder().vlan(42).build();
    vlan.refuses("the request sets VLAN 42, but a function passed through whole cannot be given"
        + " a VLAN by the host (only SR-IOV VFs can)");

    Case numa = new Case("the requested NUMA node wins over the address order")
        .accepts("0000:06:00.0", "0000:06:00.0 (eth6, e1000e) passed through whole with"
            + " vfio-pci, IOMMU group 61; on NUMA node 1 as requested");
    numa.host = twoNodes();
    numa.nic = NicRequest.builder().numaNode(1).build();

    Case numaMissing = new Case("no function on the requested node: the plan says so")
        .accepts("0000:05:00.0", "; not on the requested NUMA node 3 (no function there can be"
            + " passed through; this one is on node 0)");
    numaMissing.host = twoNodes();
    numaMissing.nic = NicRequest.builder().numaNode(3).build();

    Case slow = new Case("a link slower than the requested bandwidth")
        .device("0000:02:00.0")
        .refuses("0000:02:00.0 (eth1, e1000e) links at 1000 Mb/s, below the requested 10000 Mb/s");
    slow.nic = NicRequest.builder().from(slow.nic).minBandwidthMbps(10_000).build();

    Case nothingLeft = new Case("d1 with everything taken: one line naming the first refusals")
        .refuses("no network function can be passed through: 0000:00:03.0 (eth0, virtio-pci) is"
            + " the host's management NIC (it carries the default route); 0000:01:00.0 (eth3,"
            + " igb) is an SR-IOV PF whose VFs are in use (0000:01:10.0 (VF 0 of 0000:01:00.0,"
            + " eth4, igbvf) by guest web1); 0000:02:00.0 (eth1, e1000e) is already given to"
            + " guest db1; and 1 more refused");
    nothingLeft.held("0000:01:10.0", "web1").held("0000:02:00.0", "db1")
        .held("0000:02:00.1", "db1");

    Case managementVf = new Case("a PF whose VF is the host's management NIC keeps its VFs")
        .device("0000:01:00.0")
        .refuses("0000:01:00.0 (eth3, igb) is an SR-IOV PF whose VF 0000:01:10.0 (VF 0 of"
            + " 0000:01:00.0, eth4, igbvf) is the host's management NIC");
    managementVf.host = Contexts.withManagementVf(D1, PciAddress.parse("0000:01:10.0"));

    Case numaPinned = new Case("a requested device off the requested node: the plan says so")
        .device("0000:05:00.0")
        .accepts("0000:05:00.0", "; the requested device is on node 0, not on the requested NUMA"
            + " node 1");
    numaPinned.host = twoNodes();
    numaPinned.nic = NicRequest.builder().from(numaPinned.nic).numaNode(1).build();

    return Stream.of(managementVf, numaPinned, dualPort, wholeGroupsOff, groupRefused, management, vfsInUse, assigned,
        companionAssigned, vf, unknown, remappingOff, vfioAllows, policyAllows, remappingUnknown,
        iommuOff, noIommu, hostDriverInGroup, harmlessMembers, managementCompanion, mac, vlan,
        numa, numaMissing, slow, nothingLeft);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judgesEveryRow(Case c) {
    Proposal proposal = new VtdProvider().propose(c.context());

    assertThat(proposal.reason()).contains(c.reason);
    if (c.function == null) {
      assertThat(proposal.feasible()).as(proposal.reason()).isFalse();
      return;
    }
    PassthroughNic nic = (PassthroughNic) proposal.assignment().orElseThrow();
    assertThat(nic.function()).isEqualTo(PciAddress.parse(c.function));
    assertThat(nic.groupCompanions()).containsExactlyElementsOf(
        c.companions.stream().map(PciAddress::parse).toList());
    assertThat(nic.iommuGroup()).isEqualTo(c.host.function(nic.function()).orElseThrow()
        .iommuGroup().getAsInt());
  }

  private static SyntheticHosts.Builder host() {
    return SyntheticHosts.host(IommuVendor.INTEL_VTD, Tristate.YES)
        .function(SyntheticHosts.managementNic());
  }

  /** Single-port NICs 05:00.0 on node 0 and 06:00.0 on node 1. */
  private static HostInventory twoNodes() {
    return host()
        .function(NetworkFunction.builder().from(port("0000:05:00.0", "e1000e", "eth5", 60))
            .numaNode(0).build())
        .function(NetworkFunction.builder().from(port("0000:06:00.0", "e1000e", "eth6", 61))
            .numaNode(1).build())
        .build();
  }
}
