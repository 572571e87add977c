package org.niovirt.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.error.PlanningException;
import org.niovirt.api.fixtures.CapturedHosts;
import org.niovirt.api.fleet.FleetHost;
import org.niovirt.api.fleet.FleetPlanner;
import org.niovirt.api.fleet.Placement;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;

/**
 * Placement over a fleet with all three providers: the best technology wins, equally good hosts
 * share the load, every host gets a verdict, and a fleet that cannot serve says why per host.
 */
class FleetPlannerTest {
  private final FleetPlanner fleet = new FleetPlanner(NetworkIoPlanner.create());

  private static GuestNetworkRequest guest(String name) {
    return GuestNetworkRequest.builder().guestName(name).addNic(NicRequest.builder().build()).build();
  }

  private static FleetHost host(String name, DeviceUsage usage) {
    return new FleetHost.Reachable(name, CapturedHosts.d1VtdSriovDual(), usage);
  }

  @Test
  void theHostWithTheBestTechnologyWinsAndTheOthersSayWhy() {
    List<FleetHost> hosts = List.of(
        new FleetHost.Reachable("micro", CapturedHosts.d2FirecrackerVirtio(), DeviceUsage.empty()),
        host("rack", DeviceUsage.empty()),
        new FleetHost.Unreachable("gone", "connection refused"));

    Placement placement = fleet.place(hosts, guest("web1"), Optional.empty());

    assertThat(placement.host()).isEqualTo("rack");
    assertThat(placement.plan().explanations().get(0).chosen()).isEqualTo(Technology.SRIOV);
    assertThat(placement.verdicts()).extracting(Placement.HostVerdict::describe).containsExactly(
        "rack: chosen: nic 0 sriov",
        placement.verdicts().get(1).describe(),
        "gone: unavailable: connection refused");
    assertThat(placement.verdicts().get(1).describe())
        .startsWith("micro: would give nic 0 virtio; nic 0 sriov refused: ");
  }

  @Test
  void equallyGoodHostsShareTheLoad() {
    DeviceUsage busy = DeviceUsage.of(Map.of(PciAddress.parse("0000:01:10.0"), "old"));
    List<FleetHost> hosts = List.of(host("a-busy", busy), host("b-idle", DeviceUsage.empty()));

    Placement placement = fleet.place(hosts, guest("web2"), Optional.empty());

    assertThat(placement.host()).isEqualTo("b-idle");
    assertThat(placement.verdicts().get(1).describe())
        .isEqualTo("a-busy: as good (nic 0 sriov), but its domains hold 1 devices to b-idle's 0");
  }

  @Test
  void aPinnedHostIsUsedOrRefusedByName() {
    List<FleetHost> hosts = List.of(host("a", DeviceUsage.empty()),
        new FleetHost.Reachable("micro", CapturedHosts.d2FirecrackerVirtio(), DeviceUsage.empty()));

    assertThat(fleet.place(hosts, guest("web3"), Optional.of("micro")).host()).isEqualTo("micro");
    assertThatThrownBy(() -> fleet.place(hosts, guest("web3"), Optional.of("zz")))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.field()).isEqualTo("host");
          assertThat(e.value()).isEqualTo("zz");
        });
  }

  @Test
  void whenNoHostCanServeEveryHostsReasonIsGiven() {
    GuestNetworkRequest sriovOnly = GuestNetworkRequest.builder().guestName("fast")
        .addNic(NicRequest.builder().pinned(Technology.SRIOV).build()).build();
    List<FleetHost> hosts = List.of(
        new FleetHost.Reachable("micro", CapturedHosts.d2FirecrackerVirtio(), DeviceUsage.empty()),
        new FleetHost.Unreachable("gone", "connection refused"));

    assertThatThrownBy(() -> fleet.place(hosts, sriovOnly, Optional.empty()))
        .isInstanceOf(PlanningException.class)
        .hasMessageContaining("no host of the fleet can serve guest fast")
        .hasMessageContaining("micro: cannot serve it: ")
        .hasMessageContaining("gone: unavailable: connection refused");
  }
}
