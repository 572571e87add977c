package org.niovirt.vtd;

import static org.niovirt.api.spi.DeviceAssignmentRules.describe;
import static org.niovirt.api.spi.DeviceAssignmentRules.onRequestedNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuGroup;
import org.niovirt.api.model.IommuGroupMember;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.HostAction;
import org.niovirt.api.plan.PassthroughNic;
import org.niovirt.api.plan.SetNumVfs;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;
import org.niovirt.api.spi.DeviceAssignmentRules;
import org.niovirt.api.spi.NetworkIoProvider;
import org.niovirt.api.spi.PlanningContext;
import org.niovirt.api.spi.Proposal;
import org.niovirt.api.spi.Refusals;

/**
 * VT-d passthrough: a whole PCI network function given to the guest through vfio-pci (a managed
 * hostdev). Feasible when the IOMMU is on, interrupts are safe (or knowingly waived), and the
 * function's IOMMU group can be made viable: every other member is a bridge, already off the host
 * (vfio-pci, pci-stub, unbound), or a network function the guest takes along.
 */
public final class VtdProvider implements NetworkIoProvider {
  /** How many refused functions a rejection names before it only counts the rest. */
  private static final int REFUSALS_SHOWN = 3;

  public VtdProvider() {}

  @Override
  public Technology technology() {
    return Technology.VTD;
  }

  /** Through a failover pair: the function is unplugged for migration, a virtio standby carries on. */
  @Override
  public boolean migratable() {
    return true;
  }

  @Override
  public Proposal propose(PlanningContext context) {
    HostInventory inventory = context.inventory();
    Optional<String> hostRefusal = DeviceAssignmentRules.hostRefusal(inventory, context.policy());
    if (hostRefusal.isPresent()) {
      return Proposal.reject(hostRefusal.get());
    }
    NicRequest nic = context.nic();
    Optional<String> failoverRefusal = FailoverRules.refusal(context);
    if (failoverRefusal.isPresent()) {
      return Proposal.reject(failoverRefusal.get());
    }
    if (context.mac().isPresent()) {
      return Proposal.reject("the request sets MAC " + context.mac().get() + ", but a function"
          + " passed through whole keeps its own MAC (only SR-IOV VFs and virtio NICs take one)");
    }
    if (nic.vlan().isPresent()) {
      return Proposal.reject("the request sets VLAN " + nic.vlan().getAsInt() + ", but a function"
          + " passed through whole cannot be given a VLAN by the host (only SR-IOV VFs can)");
    }
    Iterable<NetworkFunction> candidates;
    if (nic.hostDevice().isPresent()) {
      PciAddress wanted = nic.hostDevice().get();
      Optional<NetworkFunction> function = inventory.function(wanted);
      if (function.isEmpty()) {
        return Proposal.reject(inventory.physicalFunctionOf(wanted).isPresent()
            ? "the requested " + describe(inventory, wanted) + " is an SR-IOV VF: VFs go through"
                + " sriov, not vtd"
            : "the requested " + wanted + " is not a network function of this host");
      }
      candidates = List.of(function.get());
    } else {
      candidates = inventory.functionsByAddress().values();
    }
    // One pass, keeping the best feasible function: this runs for every NIC of a batch.
    Refusals refusals = new Refusals(REFUSALS_SHOWN);
    Comparator<NetworkFunction> preference = preference(inventory, nic);
    NetworkFunction best = null;
    for (NetworkFunction candidate : candidates) {
      Supplier<String> refusal = refusal(context, candidate);
      if (refusal != null) {
        refusals.add(refusal);
      } else if (best == null || preference.compare(candidate, best) < 0) {
        best = candidate;
      }
    }
    if (best != null) {
      PassthroughNic passthrough = assignment(context, best);
      return Proposal.accept(passthrough, hostActions(context.inventory(), passthrough));
    }
    String lead = refusals.count() == 0 ? "this host has no network function to pass through"
        : "no network function can be passed through";
    return Proposal.reject(refusals.describeLater(() -> lead));
  }

  /**
   * Requested NUMA node first, then functions without SR-IOV (a PF is worth more as a source of
   * VFs), then those whose IOMMU group holds fewest devices, then by address.
   */
  private static Comparator<NetworkFunction> preference(HostInventory inventory, NicRequest nic) {
    return Comparator
        .comparingInt((NetworkFunction f) -> onRequestedNode(f, nic) ? 0 : 1)
        .thenComparingInt(f -> f.sriov().isPresent() ? 1 : 0)
        .thenComparingInt(f -> groupSize(inventory, f))
        .thenComparing(NetworkFunction::address);
  }

  private static int groupSize(HostInventory inventory, NetworkFunction function) {
    if (function.iommuGroup().isEmpty()) {
      return Integer.MAX_VALUE;
    }
    IommuGroup group = inventory.iommu().groupsById().get(function.iommuGroup().getAsInt());
    return group == null ? Integer.MAX_VALUE : group.members().size();
  }

  /** Why the function cannot be passed through for this NIC, or null when it can. */
  private static Supplier<String> refusal(PlanningContext context, NetworkFunction function) {
    HostInventory inventory = context.inventory();
    DeviceUsage usage = context.usage();
    PciAddress address = function.address();
    if (inventory.managementFunctions().contains(address)) {
      return () -> describe(function) + " is the host's management NIC "
          + inventory.managementReason();
    }
    Optional<String> holder = usage.holder(address);
    if (holder.isPresent()) {
      return () -> describe(function) + " is already given to guest " + holder.get();
    }
    Supplier<String> vfsInUse = vfsInUse(inventory, usage, function);
    if (vfsInUse != null) {
      return vfsInUse;
    }
    Optional<String> tooSlow = DeviceAssignmentRules.tooSlow(function, context.nic());
    if (tooSlow.isPresent()) {
      return tooSlow::get;
    }
    if (function.iommuGroup().isEmpty()) {
      return () -> describe(function) + " is in no IOMMU group";
    }
    if (context.nic().liveMigration()) {
      Supplier<String> unpaired = FailoverRules.unpairable(context, function);
      if (unpaired != null) {
        return unpaired;
      }
    }
    int groupId = function.iommuGroup().getAsInt();
    IommuGroup group = inventory.iommu().groupsById().get(groupId);
    if (group == null) {
      return () -> describe(function) + " names IOMMU group " + groupId
          + ", which the inventory does not list";
    }
    for (IommuGroupMember member : group.members()) {
      if (!member.address().equals(address) && !member.isBridge()) {
        Supplier<String> blocker = companionBlocker(context, groupId, member);
        if (blocker != null) {
          return blocker;
        }
      }
    }
    return null;
  }

  /**
   * The other network functions of the function's group: they go to the guest with it. None when
   * the inventory does not list the group (the refusal says so).
   */
  static List<PciAddress> companions(HostInventory inventory, NetworkFunction function) {
    List<PciAddress> companions = new ArrayList<>();
    IommuGroup group = inventory.iommu().groupsById().get(function.iommuGroup().getAsInt());
    if (group == null) {
      return companions;
    }
    for (IommuGroupMember member : group.members()) {
      if (!member.address().equals(function.address()) && !member.isBridge()
          && inventory.function(member.address()).isPresent()) {
        companions.add(member.address());
      }
    }
    return companions;
  }

  /**
   * vfio-pci takes no PF that has VFs, so its VFs go first: refused while a guest holds one or
   * one is the host's management NIC. Null when the VFs may go.
   */
  private static Supplier<String> vfsInUse(
      HostInventory inventory, DeviceUsage usage, NetworkFunction function) {
    SriovCapability sriov = function.sriov().orElse(null);
    if (sriov == null) {
      return null;
    }
    // The count first: on a busy host it refuses most PFs with one look-up; which of the two
    // reasons a refused PF shows is decided only if someone reads it.
    int held = usage.heldVfCount(sriov);
    Supplier<String> managementVfReason = () -> DeviceAssignmentRules.managementVf(inventory, function)
        .map(vf -> describe(function) + " is an SR-IOV PF whose VF " + describe(inventory, vf)
            + " is the host's management NIC")
        .orElse(null);
    if (held == 0) {
      return DeviceAssignmentRules.managementVf(inventory, function).isPresent() ? managementVfReason : null;
    }
    return () -> {
      String management = managementVfReason.get();
      if (management != null) {
        return management;
      }
      PciAddress first = sriov.allVfAddresses().stream().filter(usage::inUse)
          .findFirst().orElseThrow();
      return describe(function) + " is an SR-IOV PF whose VFs are in use ("
          + describe(inventory, first) + " by guest " + usage.holder(first).orElseThrow()
          + (held > 1 ? " and " + (held - 1) + " more" : "") + ")";
    };
  }

  /**
   * Why another member of the group stops the function from being assigned, or null when the
   * member is harmless (already off the host) or a network function the guest can take along.
   */
  private static Supplier<String> companionBlocker(
      PlanningContext context, int groupId, IommuGroupMember member) {
    HostInventory inventory = context.inventory();
    DeviceUsage usage = context.usage();
    String lead = "IOMMU group " + groupId + " also holds ";
    Optional<String> holder = usage.holder(member.address());
    if (holder.isPresent()) {
      return () -> lead + describe(inventory, member) + ", already given to guest "
          + holder.get();
    }
    NetworkFunction port = inventory.functionsByAddress().get(member.address());
    if (port == null) {
      return member.allowsAssignment() ? null
          : () -> lead + describe(inventory, member) + ", which the host uses (every other"
              + " member must be a bridge, on vfio-pci or pci-stub, or go to the guest too)";
    }
    if (inventory.managementFunctions().contains(member.address())) {
      return () -> lead + describe(port)
          + ", the host's management NIC" + inventory.managementCaveat()
          + ", so neither can be given to a guest";
    }
    Supplier<String> vfsInUse = vfsInUse(inventory, usage, port);
    if (vfsInUse != null) {
      return () -> lead + "another function that cannot go: " + vfsInUse.get();
    }
    if (!context.policy().takeWholeIommuGroups()) {
      return () -> lead + describe(port) + ", and the host policy does not let a guest take a"
          + " whole group (takeWholeIommuGroups is off)";
    }
    return null;
  }

  private static PassthroughNic assignment(PlanningContext context, NetworkFunction function) {
    HostInventory inventory = context.inventory();
    List<PciAddress> companions = companions(inventory, function);
    StringBuilder reason = new StringBuilder(describe(function))
        .append(" passed through whole with vfio-pci, IOMMU group ")
        .append(function.iommuGroup().getAsInt());
    if (!companions.isEmpty()) {
      reason.append("; the group also holds ");
      for (int i = 0; i < companions.size(); i++) {
        reason.append(i == 0 ? "" : ", ").append(describe(inventory, companions.get(i)));
      }
      reason.append(", which the guest takes too (functions without ACS share a group and go"
          + " together)");
    }
    for (PciAddress device : concat(function.address(), companions)) {
      inventory.function(device).flatMap(NetworkFunction::sriov)
          .filter(s -> s.numVfs() > 0)
          .ifPresent(s -> reason.append("; the ").append(s.numVfs()).append(" unused VFs of ")
              .append(device).append(" are removed first (sriov_numvfs ").append(s.numVfs())
              .append(" -> 0): vfio-pci takes no PF that has VFs"));
    }
    context.nic().numaNode().ifPresent(node -> reason.append(numaNote(function, context.nic())));
    reason.append("; ")
        .append(DeviceAssignmentRules.interruptNote(inventory, context.policy()));
    Optional<FailoverRules.Pair> pair = context.nic().liveMigration()
        ? Optional.of(FailoverRules.pair(context, function)) : Optional.empty();
    pair.ifPresent(p -> reason.append("; ").append(p.explanation()));
    return PassthroughNic.builder()
        .mac(pair.map(FailoverRules.Pair::mac))
        .failoverStandby(pair.map(FailoverRules.Pair::standby))
        .nicIndex(context.nicIndex())
        .function(function.address())
        .iommuGroup(function.iommuGroup().getAsInt())
        .groupCompanions(companions)
        .reason(reason.toString())
        .build();
  }

  private static String numaNote(NetworkFunction function, NicRequest nic) {
    int node = nic.numaNode().getAsInt();
    if (onRequestedNode(function, nic)) {
      return "; on NUMA node " + node + " as requested";
    }
    String where = function.numaNode().isPresent()
        ? "node " + function.numaNode().getAsInt() : "an unknown node";
    return nic.hostDevice().isPresent()
        ? "; the requested device is on " + where + ", not on the requested NUMA node " + node
        : "; not on the requested NUMA node " + node + " (no function there can be passed"
            + " through; this one is on " + where + ")";
  }

  private static List<PciAddress> concat(PciAddress first, List<PciAddress> rest) {
    List<PciAddress> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  /** vfio-pci takes no PF that has VFs: every passed-through PF's VFs are removed first. */
  private static List<HostAction> hostActions(HostInventory inventory, PassthroughNic nic) {
    List<HostAction> actions = new ArrayList<>();
    for (PciAddress device : nic.devices()) {
      inventory.function(device).flatMap(NetworkFunction::sriov)
          .filter(sriov -> sriov.numVfs() > 0)
          .ifPresent(sriov -> actions.add(SetNumVfs.of(device, sriov.numVfs(), 0)));
    }
    return actions;
  }
}
