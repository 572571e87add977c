package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.niovirt.libvirt.testing.TestHosts.guest;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.PassthroughNic;
import org.niovirt.api.request.VirtioAttachment;
import org.niovirt.libvirt.xml.HostdevXml;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.SriovNic;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.api.request.Technology;
import org.niovirt.libvirt.testing.LibvirtSchema;
import org.niovirt.libvirt.testing.Plans;
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

  /**
   * A function passed through whole as the primary: {@code <teaming type='transient'>} sits in the
   * plain {@code <hostdev>} (libvirt allows it there; {@code <interface type='hostdev'>} is for VFs
   * only), the standby carries the function's own MAC, and both survive the codec's round trip.
   */
  @Test
  void aWholeFunctionPrimaryCarriesItsTeamingInTheHostdev() {
    MacAddress own = MacAddress.parse("52:54:00:12:34:57");
    GuestNetworkPlan plan = Plans.of("whole", PassthroughNic.builder().nicIndex(0)
        .function(PciAddress.parse("0000:01:00.0")).iommuGroup(7).mac(own)
        .failoverStandby(VirtioAttachment.user()).reason("test").build());

    String xml = TestXml.write(guest("whole"), plan);

    LibvirtSchema.assertValidDomain(xml);
    DomainXml readBack = DomainXmlCodec.unmarshal(xml);
    assertThat(readBack.devices().hostdevs()).extracting(HostdevXml::teaming)
        .containsExactly(Optional.of(TeamingXml.transientSide("ua-failover-standby0")));
    assertThat(readBack.devices().interfaces()).singleElement().satisfies(standby -> {
      assertThat(standby.teaming()).contains(TeamingXml.persistentSide());
      assertThat(standby.alias()).contains("ua-failover-standby0");
      assertThat(standby.mac()).contains(own.value());
      assertThat(standby.model()).contains("virtio");
    });
    assertThat(DomainXmlCodec.marshal(readBack)).isEqualTo(xml);
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
