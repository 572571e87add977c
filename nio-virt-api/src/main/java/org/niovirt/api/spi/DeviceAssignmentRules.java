package org.niovirt.api.spi;

import java.util.Optional;
import java.util.OptionalInt;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuGroupMember;
import org.niovirt.api.model.IommuState;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.Tristate;
import org.niovirt.api.model.VirtualFunction;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.PlannerPolicy;

/**
 * Host-wide rules and wording shared by the providers that give a guest a host device (VT-d and
 * SR-IOV): whether the IOMMU lets any device go, and how to name a device so a person recognises
 * it, e.g. {@code 0000:02:00.1 (eth2, e1000e)}.
 */
public final class DeviceAssignmentRules {
  private DeviceAssignmentRules() {}

  /**
   * Why no device of this host can be given to a guest, or empty when the IOMMU is on and interrupt
   * remapping is on or knowingly waived.
   */
  public static Optional<String> hostRefusal(HostInventory inventory, PlannerPolicy policy) {
    IommuState iommu = inventory.iommu();
    if (!iommu.enabled()) {
      return Optional.of(iommuOffReason(iommu));
    }
    if (iommu.interruptRemapping() == Tristate.YES
        || iommu.allowUnsafeInterrupts() || policy.allowUnsafeInterrupts()) {
      return Optional.empty();
    }
    return Optional.of(remappingState(iommu) + ", so a guest could forge interrupts to the host:"
        + " refused (turn interrupt remapping on in the firmware, or accept the risk with"
        + " vfio_iommu_type1 allow_unsafe_interrupts=1 or the host policy's allowUnsafeInterrupts)");
  }

  /** For a chosen device: how interrupts are kept safe, or which setting waives it. */
  public static String interruptNote(HostInventory inventory, PlannerPolicy policy) {
    IommuState iommu = inventory.iommu();
    if (iommu.interruptRemapping() == Tristate.YES) {
      return "interrupt remapping is on";
    }
    if (iommu.allowUnsafeInterrupts()) {
      return remappingState(iommu)
          + "; accepted because vfio_iommu_type1's allow_unsafe_interrupts is on";
    }
    return remappingState(iommu) + "; accepted because the host policy allows unsafe interrupts"
        + " (vfio_iommu_type1 allow_unsafe_interrupts must be set to 1 too, or vfio refuses the"
        + " device)";
  }

  private static String remappingState(IommuState iommu) {
    return iommu.interruptRemapping() == Tristate.NO
        ? "interrupt remapping is off"
        : "interrupt remapping could not be confirmed (no IR- interrupt chips seen)";
  }

  private static String iommuOffReason(IommuState iommu) {
    switch (iommu.vendor()) {
      case INTEL_VTD:
        return "the IOMMU (Intel VT-d) is present but not enabled (no IOMMU groups): add"
            + " intel_iommu=on to the kernel command line and reboot";
      case AMD_VI:
        return "the IOMMU (AMD-Vi) is present but not enabled (no IOMMU groups): enable it in"
            + " the firmware and add amd_iommu=on to the kernel command line";
      case NONE:
        return "the host has no IOMMU (no ACPI DMAR or IVRS table), so no device can be given"
            + " to a guest";
      default:
        return "the IOMMU is not enabled (no IOMMU groups): enable VT-d or AMD-Vi in the firmware"
            + " and add intel_iommu=on or amd_iommu=on to the kernel command line";
    }
  }

  /** True when the request names a NUMA node and the function is known to sit on it. */
  public static boolean onRequestedNode(NetworkFunction function, NicRequest nic) {
    return nic.numaNode().isPresent() && function.numaNode().isPresent()
        && function.numaNode().getAsInt() == nic.numaNode().getAsInt();
  }

  /** Why the function's known link speed cannot give the requested bandwidth, if it cannot. */
  public static Optional<String> tooSlow(NetworkFunction function, NicRequest nic) {
    if (nic.minBandwidthMbps().isEmpty()) {
      return Optional.empty();
    }
    long wanted = nic.minBandwidthMbps().getAsLong();
    OptionalInt speed = function.netdevs().stream().map(NetDev::speedMbps)
        .filter(OptionalInt::isPresent).mapToInt(OptionalInt::getAsInt).max();
    if (speed.isEmpty() || speed.getAsInt() >= wanted) {
      return Optional.empty();
    }
    return Optional.of(describe(function) + " links at " + speed.getAsInt()
        + " Mb/s, below the requested " + wanted + " Mb/s");
  }

  /**
   * A VF of {@code pf} that carries the host's default route: it dies with any change to the PF's
   * VFs. Looks through the management set, which holds one or two addresses, not the PF's VFs.
   */
  public static Optional<PciAddress> managementVf(HostInventory inventory, NetworkFunction pf) {
    return inventory.managementVfOf(pf.address());
  }

  /**
   * The first member of IOMMU group {@code groupId}, other than {@code device}, that the host still
   * uses (not a bridge, not unbound or on an assignment driver): while there is one, {@code device}
   * cannot be assigned alone. Empty when the group is unknown.
   */
  public static Optional<IommuGroupMember> hostUserInGroup(HostInventory inventory, PciAddress device, int groupId) {
    return inventory.iommu().group(groupId).stream().flatMap(group -> group.members().stream())
        .filter(member -> !member.address().equals(device) && !member.allowsAssignment())
        .findFirst();
  }

  /**
   * Why a NIC that must live-migrate gets no failover pair with a {@code primary} (e.g. {@code VF},
   * {@code passthrough}) primary: the host policy or the request refuses pairs. Empty when it may.
   */
  public static Optional<String> failoverRefusal(PlanningContext context, String primary) {
    if (!context.nic().liveMigration()) {
      return Optional.empty();
    }
    if (!context.policy().failover()) {
      return Optional.of("the guest must live-migrate, and the host policy refuses " + primary
          + " + virtio failover pairs (its guests lack net_failover)");
    }
    if (!context.nic().failover()) {
      return Optional.of("the guest must live-migrate, and the request refuses a " + primary
          + " + virtio failover pair (the guest has no net_failover driver)");
    }
    return Optional.empty();
  }

  /** {@code 0000:02:00.1 (eth2, e1000e)}: the address, its netdevs and its driver. */
  public static String describe(NetworkFunction function) {
    StringBuilder out = new StringBuilder(function.address().toString()).append(" (");
    for (NetDev netdev : function.netdevs()) {
      out.append(netdev.name()).append(", ");
    }
    return out.append(function.driver().orElse("no driver")).append(')').toString();
  }

  /**
   * Names any address of the host: a port function as {@link #describe(NetworkFunction)}, a VF
   * with its PF, e.g. {@code 0000:01:10.0 (VF 0 of 0000:01:00.0, eth4, igbvf)}.
   */
  public static String describe(HostInventory inventory, PciAddress address) {
    Optional<NetworkFunction> function = inventory.function(address);
    if (function.isPresent()) {
      return describe(function.get());
    }
    Optional<NetworkFunction> pf = inventory.physicalFunctionOf(address);
    if (pf.isPresent()) {
      return describeVf(pf.get().sriov().get(), address);
    }
    return address.toString();
  }

  /** An IOMMU group member, which may be any PCI device: {@code 0000:00:1f.2 (storage controller, ahci)}. */
  public static String describe(HostInventory inventory, IommuGroupMember member) {
    if (inventory.knownAddresses().contains(member.address())) {
      return describe(inventory, member.address());
    }
    return member.address() + " (" + className(member.classCode()) + ", "
        + member.driver().orElse("no driver") + ")";
  }

  private static String describeVf(SriovCapability pf, PciAddress address) {
    for (VirtualFunction vf : pf.vfs()) {
      if (vf.address().equals(address)) {
        return address + " (VF " + vf.index() + " of " + pf.physicalFunction()
            + vf.netdev().map(n -> ", " + n).orElse("") + ", "
            + vf.driver().orElse("no driver") + ")";
      }
    }
    for (int index = pf.numVfs(); pf.layoutKnown() && index < pf.totalVfs(); index++) {
      if (pf.vfAddress(index).equals(address)) {
        return address + " (VF " + index + " of " + pf.physicalFunction() + ", not created yet)";
      }
    }
    return address + " (a VF of " + pf.physicalFunction() + ")";
  }

  private static String className(int classCode) {
    switch (classCode >> 16) {
      case 0x01: return "storage controller";
      case 0x02: return "network controller";
      case 0x03: return "display controller";
      case 0x04: return "multimedia controller";
      case 0x05: return "memory controller";
      case 0x06: return "bridge";
      case 0x07: return "communication controller";
      case 0x08: return "system peripheral";
      case 0x09: return "input device";
      case 0x0c: return "serial bus controller";
      default: return String.format("PCI class 0x%06x", classCode);
    }
  }
}
