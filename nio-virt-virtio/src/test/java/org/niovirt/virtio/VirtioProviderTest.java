package org.niovirt.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.niovirt.api.fixtures.CapturedHosts;
import org.niovirt.api.fixtures.ProviderCase;
import org.niovirt.api.fixtures.SyntheticHosts;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.plan.VirtioNic;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.api.request.Technology;
import org.niovirt.api.request.VirtioAttachment;
import org.niovirt.api.spi.PlanningContext;
import org.niovirt.api.spi.Proposal;

class VirtioProviderTest {
  private final VirtioProvider provider = new VirtioProvider();

  /** One row: what virtio must answer, with how many queues and which back end. */
  private static final class Case extends ProviderCase<Case> {
    int vcpus = 1;
    boolean feasible = true;
    int queues = 1;
    boolean vhost;

    Case(String name) {
      super(name, CapturedHosts.d2FirecrackerVirtio());
    }
  }

  static Stream<Case> cases() {
    Case noVhost = new Case("d2 capture: no /dev/vhost-net, one vCPU, default network");
    noVhost.reason = "virtio-net on network default, QEMU's userspace back end (/dev/vhost-net is"
        + " missing), 1 queue pair (1 vCPU)";

    Case vhostQueues = new Case("vhost-net and one queue pair per vCPU below the limit");
    vhostQueues.host = SyntheticHosts.pfsWithVfs(1, 2);
    vhostQueues.vcpus = 4;
    vhostQueues.vhost = true;
    vhostQueues.queues = 4;
    vhostQueues.reason = "virtio-net on network default, in-kernel vhost-net back end,"
        + " 4 queue pairs (one per vCPU)";

    Case capped = new Case("queues capped by the host limit");
    capped.vcpus = 16;
    capped.queues = 8;
    capped.reason = "8 queue pairs (the host limit of 8; the guest has 16 vCPUs)";

    Case limitOne = new Case("a policy limit of 1 turns multiqueue off");
    limitOne.vcpus = 4;
    limitOne.policy = PlannerPolicy.builder().maxVirtioQueues(1).build();
    limitOne.queues = 1;
    limitOne.reason = "1 queue pair (the host limit is 1)";

    Case bridge = new Case("bridge attachment from the request");
    bridge.nic = NicRequest.builder().virtioAttachment(VirtioAttachment.bridge("br0")).build();
    bridge.reason = "virtio-net on bridge br0,";

    Case user = new Case("user-mode networking");
    user.nic = NicRequest.builder().virtioAttachment(VirtioAttachment.user()).build();
    user.reason = "virtio-net on user,";

    Case direct = new Case("macvtap on a host NIC that stays on the host");
    direct.host = CapturedHosts.d1VtdSriovDual();
    direct.nic = NicRequest.builder().virtioAttachment(VirtioAttachment.direct("eth1")).build();
    direct.reason = "virtio-net on direct eth1,";

    Case directGone = new Case("macvtap on a NIC another guest holds whole: refused");
    directGone.host = CapturedHosts.d1VtdSriovDual();
    directGone.nic = NicRequest.builder().virtioAttachment(VirtioAttachment.direct("eth2")).build();
    directGone.held("0000:02:00.1", "db1");
    directGone.feasible = false;
    directGone.reason = "direct eth2 is impossible: eth2 belongs to 0000:02:00.1, which guest db1"
        + " holds, so eth2 is not on the host";

    Case directVfGone = new Case("macvtap on a VF netdev that a guest holds: refused");
    directVfGone.host = CapturedHosts.d1VtdSriovDual();
    directVfGone.nic = NicRequest.builder().virtioAttachment(VirtioAttachment.direct("eth5")).build();
    directVfGone.held("0000:01:10.2", "web1");
    directVfGone.feasible = false;
    directVfGone.reason = "eth5 belongs to 0000:01:10.2, which guest web1 holds";

    Case vlan = new Case("a VLAN is left to the attachment");
    vlan.nic = NicRequest.builder().vlan(100).build();
    vlan.reason = "VLAN 100 left to network default (a virtio NIC sends untagged frames)";

    Case bandwidth = new Case("a bandwidth virtio cannot promise is said, not refused");
    bandwidth.nic = NicRequest.builder().minBandwidthMbps(10_000).build();
    bandwidth.reason = ", 10000 Mb/s not guaranteed (virtio shares the host's links)";

    Case hostDevice = new Case("a named host device virtio cannot use is said, never dropped silently");
    hostDevice.host = CapturedHosts.d1VtdSriovDual();
    hostDevice.nic = NicRequest.builder()
        .hostDevice(org.niovirt.api.model.PciAddress.parse("0000:00:03.0")).build();
    hostDevice.reason = "; the requested host device 0000:00:03.0 is NOT used: virtio needs none";

    return Stream.of(hostDevice, bandwidth, noVhost, vhostQueues, capped, limitOne, bridge, user, direct, directGone,
        directVfGone, vlan);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judgesEveryRow(Case c) {
    Proposal proposal = provider.propose(
        PlanningContext.builder().from(c.context()).vcpus(c.vcpus).build());

    assertThat(proposal.feasible()).as(proposal.reason()).isEqualTo(c.feasible);
    assertThat(proposal.reason()).contains(c.reason);
    if (c.feasible) {
      VirtioNic nic = (VirtioNic) proposal.assignment().orElseThrow();
      assertThat(nic.technology()).isEqualTo(Technology.VIRTIO);
      assertThat(nic.queues()).isEqualTo(c.queues);
      assertThat(nic.vhost()).isEqualTo(c.vhost);
      assertThat(nic.attachment()).isEqualTo(c.nic.virtioAttachment());
      assertThat(nic.devices()).isEmpty();
    }
  }

  @Test
  void keepsTheRequestedMacAndNicIndex() {
    MacAddress mac = MacAddress.parse("52:54:00:aa:bb:01");
    PlanningContext context = PlanningContext.builder()
        .from(new Case("a MAC for NIC 3").context()).nicIndex(3).mac(mac).build();

    VirtioNic nic = (VirtioNic) provider.propose(context).assignment().orElseThrow();

    assertThat(nic.mac()).contains(mac);
    assertThat(nic.nicIndex()).isEqualTo(3);
  }
}
