package org.niovirt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.fixtures.AcceptingVirtio;
import org.niovirt.api.fixtures.SyntheticHosts;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuVendor;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.Tristate;
import org.niovirt.api.model.VirtualFunction;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;

/**
 * A requested MAC that the host already carries (a port's netdev, or a VF that a guest left its
 * MAC on: an orphan) is refused before any provider is asked, naming the field and the carrier.
 */
class HostMacClashTest {
  private static final MacAddress ORPHAN = MacAddress.parse("52:54:00:0f:0f:01", "test");

  private static HostInventory hostWithOrphanMacOnVf1() {
    NetworkFunction pf = SyntheticHosts.sriovPf("0000:31:00.0", "ixgbe", "ens3f0", 30, 8, 2, 2, 0, 300);
    SriovCapability sriov = pf.sriov().orElseThrow();
    VirtualFunction withMac = VirtualFunction.builder().from(sriov.vfs().get(1)).mac(ORPHAN).build();
    return SyntheticHosts.host(IommuVendor.INTEL_VTD, Tristate.YES)
        .function(SyntheticHosts.managementNic())
        .function(NetworkFunction.builder().from(pf).sriov(SriovCapability.builder().from(sriov)
            .vfs(java.util.List.of(sriov.vfs().get(0), withMac)).build()).build())
        .build();
  }

  private static NetworkIoPlanner planner() {
    return NetworkIoPlanner.builder().provider(new AcceptingVirtio()).build();
  }

  private static GuestNetworkRequest asking(MacAddress mac) {
    return GuestNetworkRequest.builder().guestName("web")
        .addNic(NicRequest.builder().addMac(mac).build()).build();
  }

  @Test
  void aMacAVfStillCarriesIsRefusedNamingTheVf() {
    NetworkIoPlanner planner = planner();

    assertThatThrownBy(() -> planner.plan(hostWithOrphanMacOnVf1(), asking(ORPHAN)))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.field()).isEqualTo("mac");
          assertThat(e.value()).isEqualTo("52:54:00:0f:0f:01");
          assertThat(e).hasMessageContaining("already carried by VF 1 of 0000:31:00.0 (0000:31:10.2)");
        });
  }

  @Test
  void anotherMacIsPlannedAsUsual() {
    NetworkIoPlanner planner = planner();

    assertThat(planner.plan(hostWithOrphanMacOnVf1(), asking(MacAddress.parse("52:54:00:0f:0f:02", "test")))
        .assignments()).hasSize(1);
  }
}
