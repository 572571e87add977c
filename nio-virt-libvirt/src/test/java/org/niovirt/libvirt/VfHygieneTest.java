package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.niovirt.libvirt.testing.TestHosts.guest;
import static org.niovirt.libvirt.testing.TestHosts.sriovRequest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.error.PlanningException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.ImmutableHostInventory;
import org.niovirt.api.model.ImmutableNetworkCard;
import org.niovirt.api.model.ImmutableNetworkFunction;
import org.niovirt.api.model.ImmutableSriovCapability;
import org.niovirt.api.model.ImmutableVirtualFunction;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.OperState;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.VfAdminState;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.SriovNic;
import org.niovirt.api.plan.VfCondition;
import org.niovirt.api.plan.VfSurvey;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;

/**
 * VF hygiene on the test driver's sixteen-VF host, with what the PF reports over netlink set on
 * the inventory as {@code ip -j link show} would give it: an orphaned VF (a MAC another tool left),
 * a foreign VF (its netdev is up with an address on the host), a VF a domain holds. The planner
 * never gives out the foreign one, prefers a free VF to the orphan, refuses the orphan's MAC; repair
 * clears the orphan and never a VF a domain holds.
 */
class VfHygieneTest extends OnSixteenVfHost {
  private static final String ORPHAN_MAC = "52:54:00:0f:00:01";

  private static VfAdminState admin(String mac, int vlan) {
    return new VfAdminState(VfAdminState.adminMac(mac), vlan, Optional.of(true), Optional.of(false),
        Optional.of("auto"));
  }

  /** The inventory with one VF changed (what detection fills from netlink and sysfs). */
  static HostInventory withVf(HostInventory inventory, PciAddress vf,
      UnaryOperator<ImmutableVirtualFunction> change) {
    return ImmutableHostInventory.copyOf(inventory).withCards(inventory.cards().stream()
        .map(card -> ImmutableNetworkCard.copyOf(card).withPorts(card.ports().stream()
            .map(f -> f.sriov().isEmpty() ? f : ImmutableNetworkFunction.copyOf(f).withSriov(
                ImmutableSriovCapability.copyOf(f.sriov().get()).withVfs(f.sriov().get().vfs().stream()
                    .map(v -> v.address().equals(vf) ? change.apply(ImmutableVirtualFunction.copyOf(v)) : v)
                    .collect(Collectors.toList()))))
            .collect(Collectors.toList())))
        .collect(Collectors.toList()));
  }

  private List<PciAddress> vfsOfFirstPf() {
    return inventory.sriovFunctions().get(0).sriov().orElseThrow().vfs().stream()
        .map(vf -> vf.address()).collect(Collectors.toList());
  }

  private HostInventory orphanAndForeign(PciAddress orphan, PciAddress foreign) {
    HostInventory changed = withVf(inventory, orphan, vf -> vf.withAdmin(admin(ORPHAN_MAC, 7)));
    return withVf(changed, foreign, vf -> vf.withNetdev("ens1f0v1").withNetdevState(OperState.UP)
        .withNetdevRouted(true));
  }

  private static GuestNetworkRequest onDevice(String name, PciAddress device) {
    return GuestNetworkRequest.builder().guestName(name)
        .addNic(NicRequest.builder().pinned(Technology.SRIOV).hostDevice(device).build()).build();
  }

  private static SriovNic sriovNic(GuestNetworkPlan plan) {
    if (plan.assignments().get(0) instanceof SriovNic nic) {
      return nic;
    }
    throw new AssertionError("not an SR-IOV NIC: " + plan.explain());
  }

  @Test
  void everyVfIsClassifiedAndTheSurveyListsThem() {
    List<PciAddress> vfs = vfsOfFirstPf();
    host.launch(guest("holder"), planner, inventory, onDevice("holder", vfs.get(0)));
    HostInventory changed = orphanAndForeign(vfs.get(1), vfs.get(2));

    Map<PciAddress, VfCondition> conditions = VfSurvey.survey(changed, host.deviceUsage()).stream()
        .filter(e -> e.address().isPresent())
        .collect(Collectors.toMap(e -> e.address().get(), VfSurvey.Entry::condition));

    assertThat(conditions.get(vfs.get(0))).isEqualTo(new VfCondition.Held("holder"));
    assertThat(conditions.get(vfs.get(1))).isInstanceOfSatisfying(VfCondition.Orphaned.class,
        o -> assertThat(o.describe()).contains("MAC " + ORPHAN_MAC + ", VLAN 7"));
    assertThat(conditions.get(vfs.get(2))).isInstanceOfSatisfying(VfCondition.Foreign.class,
        f -> assertThat(f.user()).contains("ens1f0v1 is up with an address"));
    assertThat(conditions.get(vfs.get(3))).isEqualTo(new VfCondition.Free());
  }

  @Test
  void thePlannerNeverGivesOutAForeignVfAndPrefersAFreeOneToTheOrphan() {
    List<PciAddress> vfs = vfsOfFirstPf();
    HostInventory changed = orphanAndForeign(vfs.get(0), vfs.get(1));

    GuestNetworkPlan plan = planner.plan(changed, sriovRequest("picky"), host.deviceUsage());
    assertThat(sriovNic(plan).virtualFunction()).isEqualTo(vfs.get(2));
    assertThat(sriovNic(plan).reason()).contains("an existing free VF");

    assertThatThrownBy(() -> planner.plan(changed, onDevice("on-foreign", vfs.get(1)), host.deviceUsage()))
        .isInstanceOf(PlanningException.class)
        .hasMessageContaining("is in use outside libvirt: its netdev ens1f0v1 is up with an address on the host");

    GuestNetworkPlan onOrphan = planner.plan(changed, onDevice("on-orphan", vfs.get(0)), host.deviceUsage());
    assertThat(sriovNic(onOrphan).virtualFunction()).isEqualTo(vfs.get(0));
    assertThat(sriovNic(onOrphan).reason()).contains("an earlier owner left with MAC " + ORPHAN_MAC);
  }

  @Test
  void theOrphansMacIsRefusedAsAnotherGuestsMac() {
    List<PciAddress> vfs = vfsOfFirstPf();
    HostInventory changed = orphanAndForeign(vfs.get(0), vfs.get(1));
    GuestNetworkRequest request = GuestNetworkRequest.builder().guestName("copycat")
        .addNic(NicRequest.builder().pinned(Technology.SRIOV).addMac(MacAddress.parse(ORPHAN_MAC)).build())
        .build();

    assertThatThrownBy(() -> planner.plan(changed, request, host.deviceUsage()))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.field()).isEqualTo("mac");
          assertThat(e.value()).isEqualTo(ORPHAN_MAC);
          assertThat(e.expectation()).contains("VF 0 of ", "(" + vfs.get(0) + ") as its administrative MAC");
        });
  }

  @Test
  void repairClearsTheOrphanAndNeverAVfADomainHolds() {
    List<PciAddress> vfs = vfsOfFirstPf();
    host.launch(guest("keeper"), planner, inventory, onDevice("keeper", vfs.get(0)));
    host.destroy("keeper"); // stopped, still defined: its VF keeps the MAC libvirt gave it
    HostInventory changed = withVf(orphanAndForeign(vfs.get(1), vfs.get(2)), vfs.get(0),
        vf -> vf.withAdmin(admin("52:54:00:0e:00:01", 0)));
    List<String> cleared = new CopyOnWriteArrayList<>();
    LinkControl links = new LinkControl() {
      @Override
      public void setLinkUp(String netdev, boolean up) {}

      @Override
      public void clearVf(String pfNetdev, int vfIndex) {
        cleared.add(pfNetdev + " vf " + vfIndex);
      }
    };

    RepairOutcome outcome = host.repair(changed, new HostPreparer(dir, links));

    int orphanIndex = changed.sriovFunctions().get(0).sriov().orElseThrow().indexOf(vfs.get(1)).getAsInt();
    assertThat(cleared).containsExactly("ens1f0 vf " + orphanIndex);
    assertThat(outcome.done()).singleElement().asString()
        .contains("orphaned MAC " + ORPHAN_MAC + ", VLAN 7 cleared");
    assertThat(outcome.refused()).isEmpty();
  }
}
