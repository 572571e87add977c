package org.niovirt.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuGroup;
import org.niovirt.api.model.IommuGroupMember;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.api.spi.DeviceAssignmentRules;

/**
 * What an engine may be given on one host, each with the reason, and what is left out and why:
 * never a function of the management NIC (nor any VF of its PF), never a function whose IOMMU group
 * holds something the host uses unless the whole group goes, never device assignment without
 * interrupt remapping unless the policy opts out, never a VF a local libvirt domain holds.
 */
public record SafeDevices(List<Device> devices, List<LeftOut> leftOut) {
  /** How an engine assigns the device: a VF of an SR-IOV PF, or a whole PCI function. */
  public enum Kind { VF, WHOLE_FUNCTION }

  /** A device to export: its ids, its PF (for a VF) and why it is safe. */
  public record Device(PciAddress address, int vendorId, int deviceId, Kind kind,
      Optional<PciAddress> physicalFunction, Optional<String> physicalFunctionNetdev, String reason) {}

  /** A network function not exported ({@code description} names it, address first), and why. */
  public record LeftOut(PciAddress address, String description, String reason) {}

  public SafeDevices {
    devices = List.copyOf(devices);
    leftOut = List.copyOf(leftOut);
  }

  /** The exported VFs of PF {@code pf}, in order. */
  public List<Device> vfsOf(PciAddress pf) {
    return devices.stream().filter(d -> d.physicalFunction().filter(pf::equals).isPresent()).toList();
  }

  /** {@code usage}: devices local libvirt domains hold (they belong to libvirt, not the engine). */
  public static SafeDevices of(HostInventory inventory, PlannerPolicy policy, DeviceUsage usage) {
    List<Device> devices = new ArrayList<>();
    List<LeftOut> leftOut = new ArrayList<>();
    Optional<String> hostRefusal = DeviceAssignmentRules.hostRefusal(inventory, policy);
    String interrupts = hostRefusal.isPresent() ? "" : DeviceAssignmentRules.interruptNote(inventory, policy);
    for (NetworkFunction function : inventory.functions().toList()) {
      String description = DeviceAssignmentRules.describe(function);
      if (hostRefusal.isPresent()) {
        leftOut.add(new LeftOut(function.address(), description, hostRefusal.get()));
      } else if (function.isManagement() || inventory.managementFunctions().contains(function.address())) {
        leftOut.add(new LeftOut(function.address(), description, "the host's management NIC "
            + inventory.managementReason()));
      } else if (function.sriov().filter(SriovCapability::providesVfs).isPresent()) {
        virtualFunctions(inventory, usage, function, interrupts, devices, leftOut);
      } else {
        wholeFunction(inventory, usage, function, interrupts, devices, leftOut);
      }
    }
    return new SafeDevices(devices, leftOut);
  }

  private static void virtualFunctions(HostInventory inventory, DeviceUsage usage, NetworkFunction pf,
      String interrupts, List<Device> devices, List<LeftOut> leftOut) {
    SriovCapability sriov = pf.sriov().orElseThrow();
    String description = DeviceAssignmentRules.describe(pf);
    Optional<PciAddress> managementVf = DeviceAssignmentRules.managementVf(inventory, pf);
    if (managementVf.isPresent()) {
      leftOut.add(new LeftOut(pf.address(), description, "its VF " + managementVf.get()
          + " is the host's management NIC, so no VF of this PF is given away"));
      return;
    }
    if (pf.driver().isEmpty() || sriov.vfDeviceId().isEmpty()) {
      leftOut.add(new LeftOut(pf.address(), description, pf.driver().isEmpty()
          ? "no driver is bound, and only the PF's own driver can create and run VFs"
          : "sriov_vf_device is unreadable, so the VFs' device id is unknown"));
      return;
    }
    Optional<String> netdev = pf.netdevs().stream().map(NetDev::name).findFirst();
    for (PciAddress vf : sriov.allVfAddresses()) {
      Optional<String> holder = usage.holder(vf);
      if (holder.isPresent()) {
        leftOut.add(new LeftOut(vf, vf + " (VF of " + pf.address() + ")", "local libvirt guest " + holder.get() + " holds it"));
        continue;
      }
      Optional<String> blocker = sriov.vfs().stream().filter(v -> v.address().equals(vf)).findFirst()
          .flatMap(v -> v.iommuGroup().isPresent() ? groupBlocker(inventory, vf, v.iommuGroup().getAsInt())
              : Optional.empty());
      if (blocker.isPresent()) {
        leftOut.add(new LeftOut(vf, vf + " (VF of " + pf.address() + ")", blocker.get()));
        continue;
      }
      int index = sriov.indexOf(vf).orElse(-1);
      devices.add(new Device(vf, pf.vendorId(), sriov.vfDeviceId().getAsInt(), Kind.VF,
          Optional.of(pf.address()), netdev, "VF " + index + " of " + description
              + (sriov.vf(index).isPresent() ? "" : " (exists once sriov_numvfs is raised to " + (index + 1) + ")")
              + "; " + interrupts));
    }
  }

  private static void wholeFunction(HostInventory inventory, DeviceUsage usage, NetworkFunction function,
      String interrupts, List<Device> devices, List<LeftOut> leftOut) {
    String description = DeviceAssignmentRules.describe(function);
    Optional<String> holder = usage.holder(function.address());
    if (holder.isPresent()) {
      leftOut.add(new LeftOut(function.address(), description, "local libvirt guest " + holder.get() + " holds it"));
      return;
    }
    if (function.iommuGroup().isEmpty()) {
      leftOut.add(new LeftOut(function.address(), description, "it is in no IOMMU group"));
      return;
    }
    int group = function.iommuGroup().getAsInt();
    Optional<String> blocker = wholeGroupBlocker(inventory, usage, function.address(), group);
    if (blocker.isPresent()) {
      leftOut.add(new LeftOut(function.address(), description, blocker.get()));
      return;
    }
    devices.add(new Device(function.address(), function.vendorId(), function.deviceId(), Kind.WHOLE_FUNCTION,
        Optional.empty(), Optional.empty(), description + " passed through whole; IOMMU group " + group
            + " goes whole (its other members are bridges or network functions exported with it); "
            + interrupts));
  }

  /** A VF's group may hold only itself, bridges and members already off the host. */
  private static Optional<String> groupBlocker(HostInventory inventory, PciAddress vf, int id) {
    return DeviceAssignmentRules.hostUserInGroup(inventory, vf, id).map(member -> "IOMMU group " + id
        + " also holds " + DeviceAssignmentRules.describe(inventory, member) + ", which the host uses");
  }

  /**
   * A whole function's group goes whole: every other member is a bridge, already off the host, or a
   * network function (not the management NIC's) that is exported with it.
   */
  private static Optional<String> wholeGroupBlocker(HostInventory inventory, DeviceUsage usage,
      PciAddress address, int id) {
    Optional<IommuGroup> group = inventory.iommu().group(id);
    for (IommuGroupMember member : group.map(IommuGroup::members).orElse(List.of())) {
      if (member.address().equals(address) || member.isBridge()) {
        continue;
      }
      Optional<String> holder = usage.holder(member.address());
      if (holder.isPresent()) {
        return Optional.of("IOMMU group " + id + " went whole to local libvirt guest " + holder.get()
            + " (it holds " + member.address() + ")");
      }
      if (member.allowsAssignment()) {
        continue;
      }
      Optional<NetworkFunction> other = inventory.function(member.address());
      if (other.isEmpty() || inventory.managementFunctions().contains(member.address())
          || other.get().sriov().filter(SriovCapability::providesVfs).isPresent()) {
        return Optional.of("IOMMU group " + id + " also holds " + DeviceAssignmentRules.describe(inventory, member)
            + ", which cannot go with it");
      }
    }
    return Optional.empty();
  }
}
