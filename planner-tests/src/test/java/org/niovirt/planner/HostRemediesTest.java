package org.niovirt.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.advice.Advice;
import org.niovirt.api.advice.Advisor;
import org.niovirt.api.fixtures.CapturedHosts;
import org.niovirt.api.fixtures.Contexts;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.ImmutableHostInventory;
import org.niovirt.api.model.ImmutableNetworkFunction;
import org.niovirt.api.model.IommuGroup;
import org.niovirt.api.model.IommuGroupMember;
import org.niovirt.api.model.IommuState;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.api.request.Technology;

/**
 * Advice that needs no reboot, proven by re-planning on the d1 capture: freeing the device another
 * guest holds, and moving a group member the host keeps (a SATA controller) to vfio-pci.
 */
class HostRemediesTest {
  private static final HostInventory D1 = CapturedHosts.d1VtdSriovDual();
  private static final PciAddress PF = PciAddress.parse("0000:01:00.0");

  private static GuestNetworkRequest oneNic(NicRequest nic) {
    return GuestNetworkRequest.builder().guestName("new").addNics(nic).build();
  }

  private static List<Advice> advise(NetworkIoPlanner planner, HostInventory host, GuestNetworkRequest request,
      DeviceUsage usage) {
    GuestNetworkPlan plan = planner.plan(host, request, usage);
    return Advisor.advise(planner, host, request, usage, plan);
  }

  @Test
  void aGuestHoldingTheWholePfIsNamedWithHowToFreeIt() {
    DeviceUsage usage = DeviceUsage.of(Map.of(PF, "db1"));
    NetworkIoPlanner planner = NetworkIoPlanner.create();

    List<Advice> advice = advise(planner, D1, oneNic(NicRequest.builder().build()), usage);

    assertThat(advice).singleElement().satisfies(a -> {
      assertThat(a.from()).isEqualTo(Technology.VTD);
      assertThat(a.unlocks()).isEqualTo(Technology.SRIOV);
      assertThat(a.remedies()).singleElement().satisfies(r -> {
        assertThat(r.change()).isEqualTo("guest db1: free the device it holds (0000:01:00.0)");
        assertThat(r.how()).startsWith("nio-virt destroy db1");
        assertThat(r.reboot()).isFalse();
        assertThat(r.risk()).get().asString().contains("db1 loses");
      });
    });
  }

  @Test
  void aGroupMemberTheHostKeepsIsMovedToVfioWithItsRisk() {
    // The PF's group 7 also holds a SATA controller on ahci: the PF cannot be passed through.
    PciAddress sata = PciAddress.parse("0000:00:1f.2");
    HostInventory withSata = withMember(D1, 7, IommuGroupMember.builder().address(sata).classCode(0x010601)
        .driver("ahci").build());
    // No SR-IOV and no whole multi-port groups: only the PF, alone in its group, could be VT-d.
    NetworkIoPlanner planner = NetworkIoPlanner.builder().loadProviders()
        .policy(PlannerPolicy.builder().takeWholeIommuGroups(false).build()).build();
    GuestNetworkRequest request = oneNic(NicRequest.builder().addExcluded(Technology.SRIOV).build());

    List<Advice> advice = advise(planner, withSata, request, DeviceUsage.empty());

    assertThat(advice).singleElement().satisfies(a -> {
      assertThat(a.from()).isEqualTo(Technology.VIRTIO);
      assertThat(a.unlocks()).isEqualTo(Technology.VTD);
      assertThat(a.remedies()).singleElement().satisfies(r -> {
        assertThat(r.change()).contains("IOMMU group 7: give 0000:00:1f.2 (class 010601, ahci) to vfio-pci");
        assertThat(r.how()).contains("echo vfio-pci > /sys/bus/pci/devices/0000:00:1f.2/driver_override");
        assertThat(r.risk()).get().asString().contains("the host loses 0000:00:1f.2 (ahci)");
      });
    });
  }

  @Test
  void aPfWithoutItsDriverIsToldToLoadIt() {
    NetworkFunction pf = D1.function(PF).orElseThrow();
    HostInventory unbound = Contexts.withFunction(D1, ImmutableNetworkFunction.copyOf(pf).withDriver(Optional.empty()));
    NetworkIoPlanner planner = NetworkIoPlanner.create();

    List<Advice> advice = advise(planner, unbound, oneNic(NicRequest.builder().build()), DeviceUsage.empty());

    assertThat(advice).singleElement().satisfies(a -> {
      assertThat(a.unlocks()).isEqualTo(Technology.SRIOV);
      assertThat(a.remedies()).singleElement().satisfies(r -> {
        assertThat(r.change()).isEqualTo("PF 0000:01:00.0: load its network driver (none is bound)");
        assertThat(r.how()).isEqualTo("modprobe $(cat /sys/bus/pci/devices/0000:01:00.0/modalias)");
        assertThat(r.reboot()).isFalse();
      });
    });
  }

  private static HostInventory withMember(HostInventory host, int groupId, IommuGroupMember member) {
    List<IommuGroup> groups = new ArrayList<>();
    for (IommuGroup group : host.iommu().groups()) {
      groups.add(group.id() == groupId ? IommuGroup.builder().from(group).addMembers(member).build() : group);
    }
    return ImmutableHostInventory.copyOf(host).withIommu(IommuState.builder().from(host.iommu()).groups(groups).build());
  }
}
