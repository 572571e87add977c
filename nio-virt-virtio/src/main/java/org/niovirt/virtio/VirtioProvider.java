package org.niovirt.virtio;

import java.util.List;
import java.util.Optional;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.VirtualFunction;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.VirtioNic;
import org.niovirt.api.request.DirectAttachment;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;
import org.niovirt.api.request.VirtioAttachment;
import org.niovirt.api.spi.NetworkIoProvider;
import org.niovirt.api.spi.PlanningContext;
import org.niovirt.api.spi.Proposal;

/**
 * Paravirtual virtio-net: needs no host device, so it serves every NIC, with the in-kernel vhost-net
 * back end where {@code /dev/vhost-net} exists and one queue pair per vCPU up to the host limit.
 * The one refusal: macvtap ({@code direct}) on a host NIC that another guest already took whole.
 */
public final class VirtioProvider implements NetworkIoProvider {
  public VirtioProvider() {}

  /** virtio-net migrates with the guest. */
  @Override
  public boolean migratable() {
    return true;
  }

  @Override
  public Technology technology() {
    return Technology.VIRTIO;
  }

  @Override
  public Proposal propose(PlanningContext context) {
    NicRequest nic = context.nic();
    VirtioAttachment attachment = nic.virtioAttachment();
    if (attachment instanceof DirectAttachment) {
      String hostInterface = ((DirectAttachment) attachment).hostInterface();
      Optional<String> gone = interfaceTakenAway(context.inventory(), context.usage(), hostInterface);
      if (gone.isPresent()) {
        return Proposal.reject(attachment.describe() + " is impossible: " + gone.get());
      }
    }
    int limit = context.policy().maxVirtioQueues();
    int queues = Math.min(context.vcpus(), limit);
    boolean vhost = context.inventory().vhostNetAvailable();
    String reason = "virtio-net on " + attachment.describe() + ", "
        + (vhost ? "in-kernel vhost-net back end"
            : "QEMU's userspace back end (/dev/vhost-net is missing)")
        + ", " + queueText(queues, context.vcpus(), limit)
        + nic.vlan().stream().mapToObj(vlan -> ", VLAN " + vlan + " left to "
            + attachment.describe() + " (a virtio NIC sends untagged frames)").findFirst().orElse("")
        + nic.minBandwidthMbps().stream().mapToObj(mbps -> ", " + mbps + " Mb/s not guaranteed"
            + " (virtio shares the host's links)").findFirst().orElse("")
        // Chosen only when SR-IOV and VT-d could not use it: say so, never drop it silently.
        + nic.hostDevice().map(device -> "; the requested host device " + device + " is NOT used:"
            + " virtio needs none, and the sriov and vtd verdicts say why they could not use it")
            .orElse("");
    return Proposal.accept(VirtioNic.builder()
        .nicIndex(context.nicIndex())
        .mac(context.mac())
        .attachment(attachment)
        .queues(queues)
        .vhost(vhost)
        .reason(reason)
        .build());
  }

  private static String queueText(int queues, int vcpus, int limit) {
    if (queues == 1) {
      return vcpus == 1 ? "1 queue pair (1 vCPU)" : "1 queue pair (the host limit is 1)";
    }
    return queues == vcpus
        ? queues + " queue pairs (one per vCPU)"
        : queues + " queue pairs (the host limit of " + limit + "; the guest has " + vcpus
            + " vCPUs)";
  }

  /** macvtap needs the host interface to stay on the host: not passed through, not a held VF. */
  private static Optional<String> interfaceTakenAway(
      HostInventory inventory, DeviceUsage usage, String hostInterface) {
    for (NetworkFunction function : inventory.functionsByAddress().values()) {
      if (function.netdevs().stream().anyMatch(n -> n.name().equals(hostInterface))) {
        return heldBy(usage, function.address(), hostInterface);
      }
      for (VirtualFunction vf : function.sriov().map(SriovCapability::vfs).orElse(List.of())) {
        if (vf.netdev().filter(hostInterface::equals).isPresent()) {
          return heldBy(usage, vf.address(), hostInterface);
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> heldBy(DeviceUsage usage, PciAddress device, String netdev) {
    return usage.holder(device).map(guest -> netdev + " belongs to " + device
        + ", which guest " + guest + " holds, so " + netdev + " is not on the host");
  }
}
