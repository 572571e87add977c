package org.niovirt.vtd;

import static org.niovirt.api.spi.DeviceAssignmentRules.describe;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.request.VirtioAttachment;
import org.niovirt.api.spi.DeviceAssignmentRules;
import org.niovirt.api.spi.PlanningContext;

/**
 * A whole function as the transient primary of a virtio-net failover pair, for a NIC that must
 * live-migrate. Unlike a VF, whose MAC libvirt sets through its PF, a function passed through whole
 * keeps the MAC its own hardware reports, so the virtio standby takes that one; and nothing else of
 * its IOMMU group may go along, since a plain hostdev left in the guest blocks the migration.
 */
final class FailoverRules {
  private FailoverRules() {}

  /** The standby, the shared MAC and the words the plan gives for them. */
  record Pair(VirtioAttachment standby, MacAddress mac, String explanation) {}

  /** Why no function can be a failover primary for this request at all, if so. */
  static Optional<String> refusal(PlanningContext context) {
    Optional<String> refused = DeviceAssignmentRules.failoverRefusal(context, "passthrough");
    if (refused.isPresent() || !context.nic().liveMigration()) {
      return refused;
    }
    if (context.mac().isPresent()) {
      return Optional.of("the request sets MAC " + context.mac().get() + ", but a failover primary"
          + " passed through whole keeps its own MAC, and its standby must share that one");
    }
    return Optional.empty();
  }

  /** Why this function cannot be a failover primary, or null when it can. */
  static Supplier<String> unpairable(PlanningContext context, NetworkFunction function) {
    if (ownMac(function).isEmpty()) {
      return () -> describe(function) + " has no netdev on the host, so its MAC is unknown, and a"
          + " failover standby must carry the primary's MAC";
    }
    List<PciAddress> companions = VtdProvider.companions(context.inventory(), function);
    if (!companions.isEmpty()) {
      return () -> describe(function) + " shares IOMMU group " + function.iommuGroup().getAsInt() + " with "
          + describe(context.inventory(), companions.get(0)) + ", which would stay in the guest as a plain"
          + " host device and block its migration";
    }
    return null;
  }

  static Pair pair(PlanningContext context, NetworkFunction function) {
    VirtioAttachment standby = context.nic().virtioAttachment();
    MacAddress mac = ownMac(function).orElseThrow();
    return new Pair(standby, mac, "paired with a virtio standby on " + standby.describe()
        + " sharing the function's own MAC " + mac + " (virtio-net failover): the function is"
        + " unplugged for migration and the guest keeps its network on virtio; the guest needs"
        + " net_failover (Linux 4.18+, virtio-win 0.1.189+ on Windows), and QEMU puts the function"
        + " on its own PCIe root port");
  }

  /** The MAC of the function's first port, as the host's driver read it from the hardware. */
  private static Optional<MacAddress> ownMac(NetworkFunction function) {
    return function.firstPortNetdev().flatMap(NetDev::mac);
  }
}
