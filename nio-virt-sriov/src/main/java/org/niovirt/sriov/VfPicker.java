package org.niovirt.sriov;

import static org.niovirt.api.spi.DeviceAssignmentRules.describe;

import java.util.Optional;
import java.util.function.Supplier;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.VirtualFunction;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.VfCondition;
import org.niovirt.api.plan.VfSurvey;
import org.niovirt.api.spi.DeviceAssignmentRules;

/**
 * Picks one VF of one PF: a free existing VF first, then an orphaned one (libvirt sets the planned
 * MAC and VLAN over the earlier owner's), then one to create. Held, foreign and lost VFs are never
 * given out; when one is asked for by address, the refusal says why.
 */
final class VfPicker {
  private VfPicker() {}

  static VfChoice pick(HostInventory inventory, DeviceUsage usage, NetworkFunction pf,
      Optional<PciAddress> wantedVf) {
    SriovCapability sriov = pf.sriov().orElseThrow();
    Supplier<String> unusable = null;
    VirtualFunction orphan = null;
    for (VirtualFunction vf : sriov.vfs()) {
      if (wantedVf.isPresent() && !wantedVf.get().equals(vf.address())) {
        continue;
      }
      if (inventory.managementFunctions().contains(vf.address())) {
        if (wantedVf.isPresent()) {
          return VfChoice.refuse(() -> "the requested " + describe(inventory, vf.address())
              + " is the host's management NIC " + inventory.managementReason());
        }
        continue;
      }
      VfCondition condition = VfSurvey.classify(inventory, vf, usage);
      if (!condition.assignable()) {
        if (wantedVf.isPresent()) {
          return VfChoice.refuse(() -> "the requested " + describe(inventory, vf.address()) + " is "
              + refusalWords(condition));
        }
        if (condition instanceof VfCondition.Foreign && unusable == null) {
          unusable = () -> describe(inventory, vf.address()) + " is " + condition.describe();
        }
        continue;
      }
      Optional<Supplier<String>> blocker = groupBlocker(inventory, vf);
      if (blocker.isPresent()) {
        unusable = blocker.get();
      } else if (condition instanceof VfCondition.Free) {
        return VfChoice.existing(vf);
      } else if (orphan == null) {
        orphan = vf;
      }
    }
    if (orphan != null) {
      return VfChoice.existing(orphan);
    }
    Supplier<String> noExisting = unusable;
    if (sriov.numVfs() >= sriov.totalVfs()) {
      return VfChoice.refuse(noExisting != null ? noExisting
          : () -> "all " + sriov.vfs().size() + " VFs of " + describe(pf) + " are taken");
    }
    if (!sriov.layoutKnown()) {
      Supplier<String> unknownLayout = () -> "no free VF of " + describe(pf) + " exists, and where new"
          + " ones would appear is unknown (this kernel has no sriov_offset/sriov_stride and the"
          + " PF's config space is unreadable), so none is created";
      return VfChoice.refuse(noExisting != null ? noExisting : unknownLayout);
    }
    Optional<Supplier<String>> creationBlocker = creationBlocker(inventory, usage, pf);
    if (creationBlocker.isPresent()) {
      return VfChoice.refuse(creationBlocker.get());
    }
    for (int index = sriov.numVfs(); index < sriov.totalVfs(); index++) {
      PciAddress address = sriov.vfAddress(index);
      if (wantedVf.isPresent() && !wantedVf.get().equals(address)) {
        continue;
      }
      if (!usage.inUse(address)) {
        return VfChoice.toCreate(address, index);
      }
    }
    return VfChoice.refuse(() -> wantedVf
        .map(vf -> "the requested " + describe(inventory, vf) + " is already given to guest "
            + usage.holder(vf).orElse("?"))
        .orElse("all " + sriov.totalVfs() + " VFs of " + describe(pf) + " are taken"));
  }

  private static String refusalWords(VfCondition condition) {
    if (condition instanceof VfCondition.Held held) {
      return "already given to guest " + held.guest();
    }
    if (condition instanceof VfCondition.Foreign foreign) {
      return "in use outside libvirt: " + foreign.user();
    }
    return condition.describe();
  }

  /** A VF shares its IOMMU group only with bridges and devices already off the host, or it waits. */
  private static Optional<Supplier<String>> groupBlocker(HostInventory inventory, VirtualFunction vf) {
    if (vf.iommuGroup().isEmpty()) {
      return Optional.empty();
    }
    int id = vf.iommuGroup().getAsInt();
    return DeviceAssignmentRules.hostUserInGroup(inventory, vf.address(), id)
        .map(member -> () -> "IOMMU group " + id + " of " + describe(inventory, vf.address())
            + " also holds " + describe(inventory, member) + ", which the host uses");
  }

  /**
   * Raising {@code sriov_numvfs} goes N -> 0 -> M and re-creates every VF of the PF, so it is only
   * safe while no VF of it belongs to a defined domain (one may be running) or to a user outside
   * libvirt. VFs that this batch plans are fine: the planner raises the count once, before the
   * first of them starts.
   */
  private static Optional<Supplier<String>> creationBlocker(
      HostInventory inventory, DeviceUsage usage, NetworkFunction pf) {
    Optional<PciAddress> managementVf = DeviceAssignmentRules.managementVf(inventory, pf);
    if (managementVf.isPresent()) {
      return Optional.of(() -> "the existing VFs of " + describe(pf) + " are taken, and raising"
          + " sriov_numvfs would first remove them all, including "
          + describe(inventory, managementVf.get()) + ", the host's management NIC"
          + inventory.managementCaveat());
    }
    for (PciAddress vf : pf.sriov().get().allVfAddresses()) {
      if (usage.inUse(vf) && !usage.heldByPlan(vf)) {
        String holder = usage.holder(vf).orElseThrow();
        return Optional.of(() -> "the existing VFs of " + describe(pf) + " are taken, and raising"
            + " sriov_numvfs would first remove them all, including "
            + describe(inventory, vf) + " of guest " + holder);
      }
    }
    for (VirtualFunction vf : pf.sriov().get().vfs()) {
      Optional<String> user = VfSurvey.foreignUser(inventory, vf);
      if (user.isPresent()) {
        return Optional.of(() -> "the existing VFs of " + describe(pf) + " are taken, and raising"
            + " sriov_numvfs would first remove them all, including " + describe(inventory, vf.address())
            + ", which is in use outside libvirt (" + user.get() + ")");
      }
    }
    return Optional.empty();
  }
}
