package org.niovirt.vtd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.niovirt.api.fixtures.CapturedHosts;
import org.niovirt.api.fixtures.Contexts;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.ImmutableNetworkFunction;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.PassthroughNic;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.api.spi.Proposal;

/**
 * A NIC that must live-migrate, served by a function passed through whole as the transient primary
 * of a virtio-net failover pair (d1 capture): only a function alone in its IOMMU group (a companion
 * would stay in the guest and block the migration), with a netdev whose MAC the standby can share.
 */
class VtdFailoverTest {
  private static final HostInventory D1 = CapturedHosts.d1VtdSriovDual();
  private static final PciAddress IGB_PF = PciAddress.parse("0000:01:00.0");
  private static final PciAddress DUAL_PORT = PciAddress.parse("0000:02:00.0");
  private final VtdProvider provider = new VtdProvider();

  private static NicRequest migrating() {
    return NicRequest.builder().liveMigration(true).build();
  }

  @Test
  void aFunctionAloneInItsGroupBecomesThePrimaryAndItsOwnMacGoesToTheStandby() {
    Proposal proposal = provider.propose(Contexts.context(D1, migrating()));

    MacAddress own = D1.function(IGB_PF).orElseThrow().netdevs().get(0).mac().orElseThrow();
    assertThat(proposal.assignment()).get().isInstanceOfSatisfying(PassthroughNic.class, nic -> {
      assertThat(nic.function()).isEqualTo(IGB_PF);
      assertThat(nic.groupCompanions()).isEmpty();
      assertThat(nic.mac()).contains(own);
      assertThat(nic.failoverStandby()).isPresent();
      assertThat(nic.reason()).contains("sharing the function's own MAC " + own, "net_failover",
          "own PCIe root port");
    });
  }

  @Test
  void aFunctionWithGroupCompanionsIsRefusedNamingTheCompanion() {
    Proposal proposal = provider.propose(Contexts.context(D1,
        NicRequest.builder().liveMigration(true).hostDevice(DUAL_PORT).build()));

    assertThat(proposal.assignment()).isEmpty();
    assertThat(proposal.reason())
        .contains("shares IOMMU group 8 with 0000:02:00.1", "block its migration");
  }

  @Test
  void aFunctionWithoutANetdevHasNoKnownMacAndIsRefused() {
    NetworkFunction pf = D1.function(IGB_PF).orElseThrow();
    HostInventory unbound = Contexts.withFunction(D1, ImmutableNetworkFunction.copyOf(pf).withNetdevs(List.of()));

    Proposal proposal = provider.propose(Contexts.context(unbound,
        NicRequest.builder().liveMigration(true).hostDevice(IGB_PF).build()));

    assertThat(proposal.reason()).contains("has no netdev on the host, so its MAC is unknown");
  }

  @Test
  void aRequestedMacOrARefusalOfFailoverRejectsThePair() {
    Proposal withMac = provider.propose(Contexts.context(D1, NicRequest.builder().liveMigration(true)
        .addMacs(MacAddress.parse("52:54:00:aa:bb:cc")).build()));
    assertThat(withMac.reason()).contains("keeps its own MAC, and its standby must share");

    Proposal refusedByRequest = provider.propose(Contexts.context(D1,
        NicRequest.builder().liveMigration(true).failover(false).build()));
    assertThat(refusedByRequest.reason()).contains("the request refuses a passthrough");

    Proposal refusedByPolicy = provider.propose(Contexts.context(D1, migrating(), DeviceUsage.empty(),
        PlannerPolicy.builder().failover(false).build()));
    assertThat(refusedByPolicy.reason()).contains("the host policy refuses passthrough");
  }

  @Test
  void withoutLiveMigrationThePassthroughHasNoStandbyAndNoMac() {
    Proposal proposal = provider.propose(Contexts.context(D1,
        NicRequest.builder().hostDevice(IGB_PF).build()));

    assertThat(proposal.assignment()).get().isInstanceOfSatisfying(PassthroughNic.class, nic -> {
      assertThat(nic.failoverStandby()).isEmpty();
      assertThat(nic.mac()).isEmpty();
    });
  }
}
