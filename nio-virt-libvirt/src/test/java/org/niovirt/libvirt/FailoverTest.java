package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.niovirt.libvirt.testing.TestHosts.guest;

import org.junit.jupiter.api.Test;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.SriovNic;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.api.request.Technology;
import org.niovirt.libvirt.testing.LibvirtSchema;
import org.niovirt.libvirt.xml.DomainXml;
import org.niovirt.libvirt.xml.DomainXmlCodec;
import org.niovirt.libvirt.xml.InterfaceXml;
import org.niovirt.libvirt.xml.TeamingXml;

/**
 * A NIC that must live-migrate gets a VF paired with a virtio standby (virtio-net failover) when a
 * VF is free: one MAC on both, {@code <teaming type='transient' persistent='ALIAS'/>} on the hostdev
 * interface and {@code <teaming type='persistent'/>} with that alias on the virtio one. The XML
 * passes libvirt's RNG schema, the test driver defines and starts it, and reads back both teamings;
 * a request or host policy that refuses failover gets plain virtio.
 */
class FailoverTest extends OnSixteenVfHost {
  private static GuestNetworkRequest migratable(String name, boolean failover) {
    return GuestNetworkRequest.builder().guestName(name)
        .addNic(NicRequest.builder().liveMigration(true).failover(failover).build()).build();
  }

  @Test
  void aMigratableNicGetsAVfWithAVirtioStandbyAndTheXmlHoldsBothTeamings() {
    GuestNetworkPlan plan = planner.plan(inventory, migratable("mover", true), host.deviceUsage());

    assertThat(plan.assignments().get(0)).isInstanceOfSatisfying(SriovNic.class, vf -> {
      assertThat(vf.failoverStandby()).isPresent();
      assertThat(vf.mac()).isPresent();
      assertThat(vf.reason()).contains("virtio-net failover", "net_failover");
    });
    LaunchedGuest launched = host.launch(guest("mover"), planner, inventory, migratable("mover", true));
    String xml = launched.domainXml();
    LibvirtSchema.assertValidDomain(xml);
    assertThat(xml).contains("<teaming type=\"transient\" persistent=\"ua-failover-standby0\"/>",
        "<teaming type=\"persistent\"/>", "<alias name=\"ua-failover-standby0\"/>");

    DomainXml readBack = DomainXmlCodec.unmarshal(host.xml("mover"));
    assertThat(readBack.devices().interfaces()).extracting(InterfaceXml::teaming)
        .containsExactlyInAnyOrder(java.util.Optional.of(TeamingXml.transientSide("ua-failover-standby0")),
            java.util.Optional.of(TeamingXml.persistentSide()));
    assertThat(readBack.devices().interfaces().stream().map(InterfaceXml::mac).distinct()).hasSize(1);
    assertThat(host.state("mover")).isEqualTo(DomainState.RUNNING);
    host.destroy("mover");
    host.undefine("mover");
  }

  @Test
  void aRequestOrPolicyThatRefusesFailoverGetsVirtio() {
    GuestNetworkPlan refusedByRequest = planner.plan(inventory, migratable("plain", false), host.deviceUsage());
    assertThat(refusedByRequest.assignments().get(0).technology()).isEqualTo(Technology.VIRTIO);
    assertThat(refusedByRequest.explain()).contains("the request refuses a VF + virtio failover pair");

    GuestNetworkPlan refusedByPolicy = org.niovirt.api.NetworkIoPlanner.builder().loadProviders()
        .policy(PlannerPolicy.builder().failover(false).build()).build()
        .plan(inventory, migratable("plain", true), host.deviceUsage());
    assertThat(refusedByPolicy.assignments().get(0).technology()).isEqualTo(Technology.VIRTIO);
    assertThat(refusedByPolicy.explain()).contains("the host policy refuses VF + virtio failover pairs");
  }
}
