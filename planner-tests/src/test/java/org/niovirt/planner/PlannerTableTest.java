package org.niovirt.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.error.PlanningException;
import org.niovirt.api.fixtures.CapturedHosts;
import org.niovirt.api.fixtures.SyntheticHosts;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuVendor;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.OperState;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.Tristate;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.LinkUp;
import org.niovirt.api.plan.PassthroughNic;
import org.niovirt.api.plan.SetNumVfs;
import org.niovirt.api.plan.SriovNic;
import org.niovirt.api.plan.Verdict;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.api.request.Technology;

/**
 * The planner with the three real providers (found by ServiceLoader, as an application finds
 * them) on the captured hosts and on hosts built in code: the chosen technology, the reason, every
 * verdict and the host actions.
 */
class PlannerTableTest {
  private static final HostInventory D1 = CapturedHosts.d1VtdSriovDual();
  private static final HostInventory D2 = CapturedHosts.d2FirecrackerVirtio();
  private static final NetworkIoPlanner PLANNER = NetworkIoPlanner.create();

  private static GuestNetworkRequest guest(String name, NicRequest... nics) {
    return GuestNetworkRequest.builder().guestName(name).addNics(nics).build();
  }

  /** An ixgbe PF 0000:51:00.0 (enp81s0, link down) with 2 possible VFs, {@code numVfs} of them made. */
  private static HostInventory hostWithDownPf(int numVfs) {
    NetworkFunction downPf = NetworkFunction.builder()
        .from(SyntheticHosts.sriovPf("0000:51:00.0", "ixgbe", "enp81s0", 50, 2, numVfs, 1, 0, 500))
        .netdevs(List.of(SyntheticHosts.netdev("enp81s0", OperState.DOWN, 10000)))
        .build();
    return SyntheticHosts.host(IommuVendor.INTEL_VTD, Tristate.YES)
        .function(SyntheticHosts.managementNic()).function(downPf).build();
  }

  private static NetworkIoPlanner planner(PlannerPolicy policy) {
    return NetworkIoPlanner.builder().loadProviders().policy(policy).build();
  }

  private static List<String> verdicts(GuestNetworkPlan plan, int nic) {
    return plan.explanations().get(nic).verdicts().stream().map(Verdict::describe)
        .collect(Collectors.toList());
  }

  @Test
  void allThreeProvidersAreFoundByServiceLoader() {
    assertThat(PLANNER.providers()).containsOnlyKeys(Technology.values());
  }

  @Test
  void d1PrefersAVfAndExplainsTheOthers() {
    GuestNetworkPlan plan = PLANNER.plan(D1, guest("web1", NicRequest.of(1)));

    assertThat(plan.explanations().get(0).chosen()).isEqualTo(Technology.SRIOV);
    assertThat(verdicts(plan, 0)).containsExactly(
        "sriov: chosen: 0000:01:10.0 (VF 0 of 0000:01:00.0, eth4, igbvf), an existing free VF;"
            + " PF 0000:01:00.0 (eth3, igb) had 0 of 7 VFs in use; PF link eth3 is up; interrupt"
            + " remapping is on",
        "vtd: feasible: 0000:02:00.0 (eth1, e1000e) passed through whole with vfio-pci, IOMMU"
            + " group 8; the group also holds 0000:02:00.1 (eth2, e1000e), which the guest takes"
            + " too (functions without ACS share a group and go together); interrupt remapping is on",
        "virtio: feasible: virtio-net on network default, QEMU's userspace back end"
            + " (/dev/vhost-net is missing), 1 queue pair (1 vCPU)");
    assertThat(plan.hostActions()).isEmpty();
  }

  @Test
  void d2HasOnlyVirtioAndSaysWhy() {
    GuestNetworkPlan plan = PLANNER.plan(D2, guest("vm1", NicRequest.of(1)));

    assertThat(plan.explanations().get(0).chosen()).isEqualTo(Technology.VIRTIO);
    assertThat(verdicts(plan, 0)).containsExactly(
        "sriov: rejected: the host has no IOMMU (no ACPI DMAR or IVRS table), so no device can be"
            + " given to a guest",
        "vtd: rejected: the host has no IOMMU (no ACPI DMAR or IVRS table), so no device can be"
            + " given to a guest",
        "virtio: chosen: virtio-net on network default, QEMU's userspace back end (/dev/vhost-net"
            + " is missing), 1 queue pair (1 vCPU)");
  }

  @Test
  void excludingSriovGivesTheWholeDualPortGroup() {
    GuestNetworkPlan plan = PLANNER.plan(D1,
        guest("db1", NicRequest.builder().addExcluded(Technology.SRIOV).build()));

    PassthroughNic nic = (PassthroughNic) plan.assignments().get(0);
    assertThat(nic.function()).isEqualTo(PciAddress.parse("0000:02:00.0"));
    assertThat(plan.devices()).containsExactly(
        PciAddress.parse("0000:02:00.0"), PciAddress.parse("0000:02:00.1"));
    assertThat(verdicts(plan, 0).get(0)).isEqualTo("sriov: excluded: the request excludes sriov");
  }

  @Test
  void liveMigrationGetsAFailoverPairOrVirtioButNeverAPlainHostDevice() {
    GuestNetworkPlan plan = PLANNER.plan(D1,
        guest("mobile", NicRequest.builder().liveMigration(true).build()));

    assertThat(plan.explanations().get(0).chosen()).isEqualTo(Technology.SRIOV);
    assertThat(plan.assignments().get(0)).isInstanceOfSatisfying(SriovNic.class,
        vf -> assertThat(vf.failoverStandby()).isPresent());
    // The ranking: a VF pair first, then a whole function as the primary, then plain virtio.
    assertThat(verdicts(plan, 0).get(1)).startsWith("vtd: feasible: 0000:01:00.0")
        .contains("paired with a virtio standby");

    GuestNetworkPlan withoutFailover = PLANNER.plan(D1,
        guest("mobile", NicRequest.builder().liveMigration(true).failover(false).build()));
    assertThat(withoutFailover.explanations().get(0).chosen()).isEqualTo(Technology.VIRTIO);
    assertThat(verdicts(withoutFailover, 0).get(0)).startsWith("sriov: rejected: the guest must live-migrate,"
        + " and the request refuses a VF + virtio failover pair");
    assertThat(verdicts(withoutFailover, 0).get(1)).startsWith("vtd: rejected: the guest must live-migrate,"
        + " and the request refuses a passthrough + virtio failover pair");
  }

  @Test
  void theHostPolicyReordersAndLeavesOut() {
    GuestNetworkPlan vtdFirst = planner(PlannerPolicy.builder()
        .order(List.of(Technology.VTD, Technology.SRIOV, Technology.VIRTIO)).build())
        .plan(D1, guest("g", NicRequest.of(1)));
    GuestNetworkPlan virtioOnly = planner(PlannerPolicy.builder()
        .order(List.of(Technology.VIRTIO)).build())
        .plan(D1, guest("g", NicRequest.of(1)));

    assertThat(vtdFirst.explanations().get(0).chosen()).isEqualTo(Technology.VTD);
    assertThat(verdicts(vtdFirst, 0).get(1)).startsWith("sriov: feasible: 0000:01:10.0");
    assertThat(virtioOnly.explanations().get(0).chosen()).isEqualTo(Technology.VIRTIO);
    assertThat(verdicts(virtioOnly, 0)).contains(
        "sriov: excluded: the host policy leaves sriov out",
        "vtd: excluded: the host policy leaves vtd out");
  }

  @Test
  void aPinnedVtdThatTheGroupForbidsIsAnErrorNotAFallback() {
    NetworkIoPlanner noWholeGroups =
        planner(PlannerPolicy.builder().takeWholeIommuGroups(false).build());
    GuestNetworkRequest request = guest("db1", NicRequest.builder().pinned(Technology.VTD)
        .hostDevice(PciAddress.parse("0000:02:00.0")).build());

    assertThatThrownBy(() -> noWholeGroups.plan(D1, request))
        .isInstanceOf(PlanningException.class)
        .hasMessageContaining("guest db1, nic 0: the pinned technology vtd is not feasible")
        .hasMessageContaining("vtd: rejected: IOMMU group 8 also holds 0000:02:00.1 (eth2, e1000e)")
        .hasMessageContaining("sriov: excluded: the request pins vtd")
        .hasMessageContaining("Hint: unpin the NIC or fix the host as the verdict says.");
  }

  @Test
  void aPlanningFailureCarriesItsNicVerdictsAndHintAsFields() {
    GuestNetworkRequest request = guest("db1", NicRequest.builder().pinned(Technology.VTD)
        .hostDevice(PciAddress.parse("0000:02:00.0")).build());

    PlanningException e = org.junit.jupiter.api.Assertions.assertThrows(PlanningException.class,
        () -> planner(PlannerPolicy.builder().takeWholeIommuGroups(false).build()).plan(D1, request));

    assertThat(e.guestName()).contains("db1");
    assertThat(e.nicIndex()).contains(0);
    assertThat(e.verdicts()).hasSize(3).anyMatch(v -> v.startsWith("vtd: rejected: IOMMU group 8"));
    assertThat(e.hint()).contains("unpin the NIC or fix the host as the verdict says.");
    assertThat(e.problem()).doesNotContain("Hint");
  }

  @Test
  void aPinnedSriovWithoutIommuIsAnError() {
    assertThatThrownBy(() -> PLANNER.plan(D2,
            guest("vm1", NicRequest.builder().pinned(Technology.SRIOV).build())))
        .isInstanceOf(PlanningException.class)
        .hasMessageContaining("the pinned technology sriov is not feasible (sriov: rejected: the"
            + " host has no IOMMU");
  }

  @Test
  void fourNicsOnD1UseBothVfsThenCreateTwoMore() {
    GuestNetworkPlan plan = PLANNER.plan(D1, guest("big", NicRequest.of(4)));

    assertThat(plan.assignments()).allMatch(a -> a.technology() == Technology.SRIOV);
    assertThat(plan.devices()).containsExactly(PciAddress.parse("0000:01:10.0"),
        PciAddress.parse("0000:01:10.2"), PciAddress.parse("0000:01:10.4"),
        PciAddress.parse("0000:01:10.6"));
    assertThat(plan.assignments().get(2).reason()).contains(
        "0000:01:10.4 (VF 2 of 0000:01:00.0, not created yet), created by raising sriov_numvfs of"
            + " 0000:01:00.0 from 2 to 3 (sriov_totalvfs 7)");
    assertThat(plan.hostActions()).containsExactly(
        SetNumVfs.of(PciAddress.parse("0000:01:00.0"), 2, 4));
  }

  @Test
  void anExplicitlyRegisteredProviderWinsOverItsServiceLoaderCopyInEitherOrder() {
    org.niovirt.virtio.VirtioProvider mine = new org.niovirt.virtio.VirtioProvider();

    NetworkIoPlanner after = NetworkIoPlanner.builder().loadProviders().provider(mine).build();
    NetworkIoPlanner before = NetworkIoPlanner.builder().provider(mine).loadProviders().build();

    assertThat(after.providers().get(Technology.VIRTIO)).isSameAs(mine);
    assertThat(before.providers().get(Technology.VIRTIO)).isSameAs(mine);
  }

  @Test
  void twoGuestsOnOnePfGetOneSriovNumvfsChangeAndTheLinkRaisedOnce() {
    HostInventory host = hostWithDownPf(0);

    List<GuestNetworkPlan> plans = PLANNER.planAll(host,
        List.of(guest("a", NicRequest.of(1)), guest("b", NicRequest.of(1))), DeviceUsage.empty());

    assertThat(plans.get(0).hostActions()).containsExactly(
        SetNumVfs.of(PciAddress.parse("0000:51:00.0"), 0, 2), LinkUp.of("enp81s0"));
    assertThat(plans.get(1).hostActions()).isEmpty();
  }

  @Test
  void aBatchRaisesSriovNumvfsOnceBeforeItsFirstGuest() {
    HostInventory host = SyntheticHosts.host(IommuVendor.INTEL_VTD, Tristate.YES)
        .function(SyntheticHosts.managementNic())
        .function(SyntheticHosts.sriovPf("0000:11:00.0", "ixgbe", "enp17s0", 20, 8, 0, 1, 0, 200))
        .build();

    List<GuestNetworkPlan> plans = PLANNER.planAll(host,
        List.of(guest("a", NicRequest.of(1)), guest("b", NicRequest.of(2))), DeviceUsage.empty());

    assertThat(plans.get(0).hostActions()).containsExactly(
        SetNumVfs.of(PciAddress.parse("0000:11:00.0"), 0, 3));
    assertThat(plans.get(1).hostActions()).isEmpty();
    assertThat(plans.get(1).devices()).containsExactly(
        PciAddress.parse("0000:11:10.1"), PciAddress.parse("0000:11:10.2"));
  }

  @Test
  void devicesOfDefinedDomainsAreNeverGivenAgain() {
    DeviceUsage defined = DeviceUsage.of(Map.of(PciAddress.parse("0000:01:10.0"), "web1",
        PciAddress.parse("0000:02:00.1"), "db1"));

    GuestNetworkPlan plan = PLANNER.plan(D1, guest("web2", NicRequest.of(2)), defined);

    assertThat(plan.devices()).containsExactly(PciAddress.parse("0000:01:10.2"));
    assertThat(plan.assignments().get(1).technology()).isEqualTo(Technology.VIRTIO);
    assertThat(verdicts(plan, 1).get(0)).isEqualTo("sriov: rejected: the existing VFs of"
        + " 0000:01:00.0 (eth3, igb) are taken, and raising sriov_numvfs would first remove them"
        + " all, including 0000:01:10.0 (VF 0 of 0000:01:00.0, eth4, igbvf) of guest web1");
    assertThat(verdicts(plan, 1).get(1)).startsWith("vtd: rejected: no network function can be"
        + " passed through:");
  }

  @Test
  void aBatchIsAllOrNothing() {
    NicRequest sameVf = NicRequest.builder().pinned(Technology.SRIOV)
        .hostDevice(PciAddress.parse("0000:01:10.2")).build();

    assertThatThrownBy(() -> PLANNER.planAll(D1,
            List.of(guest("first", sameVf), guest("second", sameVf)), DeviceUsage.empty()))
        .isInstanceOf(PlanningException.class)
        .hasMessageContaining("guest second, nic 0: the pinned technology sriov is not feasible"
            + " (sriov: rejected: the requested 0000:01:10.2 (VF 1 of 0000:01:00.0, eth5, igbvf)"
            + " is already given to guest first");
  }

  @Test
  void passingThroughAPfRemovesItsUnusedVfsFirst() {
    GuestNetworkPlan plan = planner(PlannerPolicy.builder().takeWholeIommuGroups(false).build())
        .plan(D1, guest("nfv", NicRequest.builder().pinned(Technology.VTD).build()));

    assertThat(((PassthroughNic) plan.assignments().get(0)).function())
        .isEqualTo(PciAddress.parse("0000:01:00.0"));
    assertThat(plan.hostActions()).containsExactly(
        SetNumVfs.of(PciAddress.parse("0000:01:00.0"), 2, 0));
  }

  @Test
  void aDownPfLinkIsBroughtUp() {
    HostInventory host = hostWithDownPf(1);

    GuestNetworkPlan plan = PLANNER.plan(host, guest("g", NicRequest.of(1)));

    assertThat(((SriovNic) plan.assignments().get(0)).physicalFunctionNetdev()).contains("enp81s0");
    assertThat(plan.hostActions()).containsExactly(LinkUp.of("enp81s0"));
    assertThat(plan.explain()).contains("host: bring link enp81s0 up");
  }
}
