package org.niovirt.sriov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.niovirt.api.fixtures.SyntheticHosts.sriovPf;

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
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.Tristate;
import org.niovirt.api.plan.SriovNic;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.api.spi.Proposal;

class SriovProviderTest {
  private static final HostInventory D1 = CapturedHosts.d1VtdSriovDual();
  /** PFs 0000:11:00.0 (node 0) and 0000:12:00.0 (node 1), 2 of 4 VFs each, stride 1. */
  private static final HostInventory TWO_PFS = host()
      .function(sriovPf("0000:11:00.0", "ixgbe", "enp17s0", 20, 4, 2, 1, 0, 200))
      .function(sriovPf("0000:12:00.0", "ixgbe", "enp18s0", 21, 4, 2, 1, 1, 210))
      .build();

  /** One row: what SR-IOV must answer; {@code vf} null means a refusal. */
  private static final class Case extends ProviderCase<Case> {
    String vf;
    boolean created;
    int requiredNumVfs;

    Case(String name) {
      super(name, D1);
    }

    Case existing(String address, int numVfs, String reasonPart) {
      vf = address;
      requiredNumVfs = numVfs;
      reason = reasonPart;
      return this;
    }

    Case created(String address, int raisedTo, String reasonPart) {
      existing(address, raisedTo, reasonPart);
      created = true;
      return this;
    }
  }

  static Stream<Case> cases() {
    Case d1 = new Case("d1: the first existing free VF of the 82576")
        .existing("0000:01:10.0", 2, "0000:01:10.0 (VF 0 of 0000:01:00.0, eth4, igbvf), an"
            + " existing free VF; PF 0000:01:00.0 (eth3, igb) had 0 of 7 VFs in use; PF link eth3"
            + " is up; interrupt remapping is on");

    Case nextFree = new Case("d1: a VF a defined domain holds is skipped")
        .held("0000:01:10.0", "web1")
        .existing("0000:01:10.2", 2, "0000:01:10.2 (VF 1 of 0000:01:00.0, eth5, igbvf), an"
            + " existing free VF; PF 0000:01:00.0 (eth3, igb) had 1 of 7 VFs in use");

    Case noRaiseUnderRunningGuests = new Case("d1: raising sriov_numvfs would remove VFs of defined domains")
        .held("0000:01:10.0", "web1").held("0000:01:10.2", "web2")
        .refuses("the existing VFs of 0000:01:00.0 (eth3, igb) are taken, and raising"
            + " sriov_numvfs would first remove them all, including 0000:01:10.0 (VF 0 of"
            + " 0000:01:00.0, eth4, igbvf) of guest web1");

    Case create = new Case("a PF without VFs: one is created, and the plan says so")
        .created("0000:31:10.0", 1, "0000:31:10.0 (VF 0 of 0000:31:00.0, not created yet),"
            + " created by raising sriov_numvfs of 0000:31:00.0 from 0 to 1 (sriov_totalvfs 4)");
    create.host = host().function(sriovPf("0000:31:00.0", "ixgbe", "enp49s0", 30, 4, 0, 1, 0, 300))
        .build();

    Case full = new Case("a PF whose every VF is taken")
        .held("0000:11:10.0", "a").held("0000:11:10.1", "b")
        .device("0000:11:00.0")
        .refuses("all 4 VFs of 0000:11:00.0 (enp17s0, ixgbe) are taken");
    full.host = host().function(sriovPf("0000:11:00.0", "ixgbe", "enp17s0", 20, 4, 2, 1, 0, 200))
        .build();
    full.held.put(PciAddress.parse("0000:11:10.2"), "c");
    full.held.put(PciAddress.parse("0000:11:10.3"), "d");

    Case noDriver = new Case("a PF without its driver cannot make VFs")
        .refuses("0000:41:00.0 (enp65s0, no driver) has no driver bound, and only the PF's own"
            + " driver can create and run VFs");
    noDriver.host = host().function(sriovPf("0000:41:00.0", null, "enp65s0", 40, 4, 0, 1, 0, 400))
        .build();

    Case onVfio = new Case("a PF bound to vfio-pci cannot make VFs")
        .refuses("0000:41:00.0 (enp65s0, vfio-pci) is bound to vfio-pci, not to its network"
            + " driver, so it cannot provide VFs");
    onVfio.host = host().function(sriovPf("0000:41:00.0", "vfio-pci", "enp65s0", 40, 4, 0, 1, 0,
        400)).build();

    Case pfPassedThrough = new Case("a PF that a guest holds whole")
        .held("0000:01:00.0", "nfv1")
        .refuses("0000:01:00.0 (eth3, igb) is given whole to guest nfv1");

    Case numa = new Case("the requested NUMA node first")
        .existing("0000:12:10.0", 2, "; on NUMA node 1 as requested");
    numa.host = TWO_PFS;
    numa.nic = NicRequest.builder().numaNode(1).build();

    Case numaMissing = new Case("no PF on the requested node: the plan says where it went")
        .existing("0000:11:10.0", 2, "; not on the requested NUMA node 5 (no free VF there), on"
            + " node 0");
    numaMissing.host = TWO_PFS;
    numaMissing.nic = NicRequest.builder().numaNode(5).build();

    Case spread = new Case("guests spread: the PF with fewest VFs in use")
        .held("0000:11:10.0", "a")
        .existing("0000:12:10.0", 2, "0000:12:10.0 (VF 0 of 0000:12:00.0, ixgbevf), an existing"
            + " free VF; PF 0000:12:00.0 (enp18s0, ixgbe) had 0 of 4 VFs in use, the fewest of 2"
            + " usable PFs");
    spread.host = TWO_PFS;

    Case pinnedPf = new Case("the request's PF wins over spreading")
        .held("0000:11:10.0", "a")
        .device("0000:11:00.0")
        .existing("0000:11:10.1", 2, "PF 0000:11:00.0 (enp17s0, ixgbe) had 1 of 4 VFs in use");
    pinnedPf.host = TWO_PFS;

    Case pinnedVf = new Case("the request's VF exactly")
        .device("0000:01:10.2")
        .existing("0000:01:10.2", 2, "0000:01:10.2 (VF 1 of 0000:01:00.0, eth5, igbvf), an"
            + " existing free VF");

    Case pinnedVfHeld = new Case("the request's VF is taken")
        .device("0000:01:10.2").held("0000:01:10.2", "web1")
        .refuses("the requested 0000:01:10.2 (VF 1 of 0000:01:00.0, eth5, igbvf) is already given"
            + " to guest web1");

    Case pinnedVfToCreate = new Case("the request's VF does not exist yet: created up to it")
        .device("0000:01:10.6")
        .created("0000:01:10.6", 4, "created by raising sriov_numvfs of 0000:01:00.0 from 2 to 4"
            + " (sriov_totalvfs 7)");

    Case notSriov = new Case("the request's device has no SR-IOV")
        .device("0000:02:00.0")
        .refuses("the requested 0000:02:00.0 (eth1, e1000e) cannot make VFs (no SR-IOV capability,"
            + " or sriov_totalvfs is 0)");

    Case unknown = new Case("the request's device is not on this host")
        .device("0000:77:00.0")
        .refuses("the requested 0000:77:00.0 is neither an SR-IOV PF nor a VF of this host");

    Case macVlan = new Case("MAC and VLAN are set on the VF through the PF")
        .existing("0000:01:10.0", 2, "; MAC 52:54:00:00:00:20 and VLAN 100 set on the VF by"
            + " libvirt through the PF");
    macVlan.nic = NicRequest.builder().addMac(MacAddress.parse("52:54:00:00:00:20")).vlan(100)
        .build();

    Case linkDown = new Case("the PF link is down: the plan brings it up")
        .existing("0000:51:10.0", 1, "; PF link enp81s0 is down: the plan brings it up first"
            + " (libvirt cannot set a VF's MAC while its PF is down)");
    linkDown.host = host().function(NetworkFunction.builder()
            .from(sriovPf("0000:51:00.0", "ixgbe", "enp81s0", 50, 2, 1, 1, 0, 500))
            .netdevs(List.of(SyntheticHosts.netdev("enp81s0", OperState.DOWN, 10000)))
            .build())
        .build();

    Case iommuOff = new Case("d1 with intel_iommu=off")
        .refuses("the IOMMU (Intel VT-d) is present but not enabled (no IOMMU groups): add"
            + " intel_iommu=on to the kernel command line and reboot");
    iommuOff.host = Contexts.withIommuDisabled(D1);

    Case remappingOff = new Case("interrupt remapping off: refused")
        .refuses("interrupt remapping is off, so a guest could forge interrupts to the host:"
            + " refused");
    remappingOff.host = Contexts.withInterrupts(D1, Tristate.NO, false);

    Case vfioAllows = new Case("interrupt remapping off, vfio allows it: accepted, says which")
        .existing("0000:01:10.0", 2, "interrupt remapping is off; accepted because"
            + " vfio_iommu_type1's allow_unsafe_interrupts is on");
    vfioAllows.host = Contexts.withInterrupts(D1, Tristate.NO, true);

    Case policyAllows = new Case("interrupt remapping off, the policy allows it: accepted, says which")
        .existing("0000:01:10.0", 2, "interrupt remapping is off; accepted because the host"
            + " policy allows unsafe interrupts");
    policyAllows.host = Contexts.withInterrupts(D1, Tristate.NO, false);
    policyAllows.policy = PlannerPolicy.builder().allowUnsafeInterrupts(true).build();

    Case noSriov = new Case("a host without SR-IOV")
        .refuses("no network function of this host is SR-IOV capable (none has sriov_totalvfs"
            + " above 0)");
    noSriov.host = host().function(SyntheticHosts.port("0000:02:00.0", "e1000e", "eth1", 8)).build();

    Case managementLast = new Case("the management PF's VFs come last")
        .existing("0000:62:10.0", 1, "0000:62:10.0 (VF 0 of 0000:62:00.0, ixgbevf)");
    managementLast.host = SyntheticHosts.host(IommuVendor.INTEL_VTD, Tristate.YES)
        .function(NetworkFunction.builder()
            .from(sriovPf("0000:61:00.0", "ixgbe", "eno1", 60, 2, 1, 1, 0, 600))
            .netdevs(List.of(NetDev.builder().name("eno1").operState(OperState.UP)
                .management(true).build()))
            .build())
        .function(sriovPf("0000:62:00.0", "ixgbe", "eno2", 61, 2, 1, 1, 0, 610))
        .build();

    Case vfGroupShared = new Case("a VF whose IOMMU group holds a device the host uses is skipped")
        .existing("0000:71:10.1", 2, "0000:71:10.1 (VF 1 of 0000:71:00.0, ixgbevf)");
    vfGroupShared.host = host()
        .function(sriovPf("0000:71:00.0", "ixgbe", "enp113s0", 70, 2, 2, 1, 0, 700))
        .member(700, "0000:00:1f.3", 0x0c0500, "i801_smbus")
        .build();

    Case allFull = new Case("every PF full: one line naming them")
        .held("0000:11:10.0", "a").held("0000:11:10.1", "b").held("0000:11:10.2", "c")
        .held("0000:11:10.3", "d").held("0000:12:10.0", "e").held("0000:12:10.1", "f")
        .held("0000:12:10.2", "g").held("0000:12:10.3", "h")
        .refuses("no free VF on any of 2 SR-IOV PFs: all 4 VFs of 0000:11:00.0 (enp17s0, ixgbe)"
            + " are taken; all 4 VFs of 0000:12:00.0 (enp18s0, ixgbe) are taken");
    allFull.host = TWO_PFS;

    HostInventory d1ManagementVf = Contexts.withManagementVf(D1, PciAddress.parse("0000:01:10.0"));
    Case managementVf = new Case("a VF that carries the default route is skipped")
        .existing("0000:01:10.2", 2, "0000:01:10.2 (VF 1 of 0000:01:00.0, eth5, igbvf), an"
            + " existing free VF");
    managementVf.host = d1ManagementVf;

    Case managementVfPinned = new Case("the requested VF carries the default route")
        .device("0000:01:10.0")
        .refuses("the requested 0000:01:10.0 (VF 0 of 0000:01:00.0, eth4, igbvf) is the host's"
            + " management NIC (it carries the default route)");
    managementVfPinned.host = d1ManagementVf;

    Case managementVfStaysUp = new Case("no new VFs while one carries the default route")
        .held("0000:01:10.2", "web2")
        .refuses("the existing VFs of 0000:01:00.0 (eth3, igb) are taken, and raising"
            + " sriov_numvfs would first remove them all, including 0000:01:10.0 (VF 0 of"
            + " 0000:01:00.0, eth4, igbvf), the host's management NIC");
    managementVfStaysUp.host = d1ManagementVf;

    Case numaPinned = new Case("the requested PF is off the requested node: the plan says so")
        .device("0000:11:00.0")
        .existing("0000:11:10.0", 2, "; the requested device is on node 0, not on the requested"
            + " NUMA node 1");
    numaPinned.host = TWO_PFS;
    numaPinned.nic = NicRequest.builder().from(numaPinned.nic).numaNode(1).build();

    // A kernel without sriov_offset/sriov_stride (and config unreadable): existing VFs still serve,
    // none is created.
    NetworkFunction oldKernelPf = NetworkFunction.builder()
        .from(sriovPf("0000:71:00.0", "igb", "eth7", 70, 7, 1, 2, 0, 700))
        .sriov(SriovCapability.builder().from(sriovPf("0000:71:00.0", "igb", "eth7", 70, 7, 1, 2, 0, 700)
            .sriov().orElseThrow()).offset(0).stride(0).layoutKnown(false).build())
        .build();
    Case oldKernelExisting = new Case("an unknown VF layout still gives out an existing VF")
        .existing("0000:71:10.0", 1, "0000:71:10.0 (VF 0 of 0000:71:00.0, ixgbevf)");
    oldKernelExisting.host = host().function(oldKernelPf).build();
    Case oldKernelFull = new Case("an unknown VF layout creates no VF")
        .held("0000:71:10.0", "other")
        .refuses("no free VF of 0000:71:00.0 (eth7, igb) exists, and where new ones would appear is"
            + " unknown (this kernel has no sriov_offset/sriov_stride and the PF's config space is"
            + " unreadable), so none is created");
    oldKernelFull.host = host().function(oldKernelPf).build();

    return Stream.of(oldKernelExisting, oldKernelFull, managementVf, managementVfPinned, managementVfStaysUp, numaPinned, d1, nextFree, noRaiseUnderRunningGuests, create, full, noDriver, onVfio,
        pfPassedThrough, numa, numaMissing, spread, pinnedPf, pinnedVf, pinnedVfHeld,
        pinnedVfToCreate, notSriov, unknown, macVlan, linkDown, iommuOff, remappingOff,
        vfioAllows, policyAllows, noSriov, managementLast, vfGroupShared, allFull);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judgesEveryRow(Case c) {
    Proposal proposal = new SriovProvider().propose(c.context());

    assertThat(proposal.reason()).contains(c.reason);
    if (c.vf == null) {
      assertThat(proposal.feasible()).as(proposal.reason()).isFalse();
      return;
    }
    SriovNic nic = (SriovNic) proposal.assignment().orElseThrow();
    assertThat(nic.virtualFunction()).isEqualTo(PciAddress.parse(c.vf));
    assertThat(nic.vfExists()).isEqualTo(!c.created);
    assertThat(nic.requiredNumVfs()).isEqualTo(c.requiredNumVfs);
    NetworkFunction pf = c.host.function(nic.physicalFunction()).orElseThrow();
    assertThat(pf.sriov().orElseThrow().vfAddress(nic.vfIndex())).isEqualTo(nic.virtualFunction());
    assertThat(nic.physicalFunctionNetdev()).contains(pf.netdevs().get(0).name());
    assertThat(nic.mac()).isEqualTo(c.nic.macs().stream().findFirst());
    assertThat(nic.vlan()).isEqualTo(c.nic.vlan());
  }

  private static SyntheticHosts.Builder host() {
    return SyntheticHosts.host(IommuVendor.INTEL_VTD, Tristate.YES)
        .function(SyntheticHosts.managementNic());
  }
}
