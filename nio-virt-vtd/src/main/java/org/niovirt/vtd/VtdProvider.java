package org.niovirt.vtd;

import static org.niovirt.api.spi.DeviceAssignmentRules.describe;
import static org.niovirt.api.spi.DeviceAssignmentRules.onRequestedNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuGroup;
import org.niovirt.api.model.IommuGroupMember;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.PassthroughNic;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;
import org.niovirt.api.spi.DeviceAssignmentRules;
import org.niovirt.api.spi.NetworkIoProvider;
import org.niovirt.api.spi.PlanningContext;
import org.niovirt.api.spi.Proposal;

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

  @Override
  public Proposal propose(PlanningContext context) {
    HostInventory inventory = context.inventory();
    Optional<String> hostRefusal = DeviceAssignmentRules.hostRefusal(inventory, context.policy());
    if (hostRefusal.isPresent()) {
      return Proposal.reject(hostRefusal.get());
    }
    NicRequest nic = context.nic();
    if (context.mac().isPresent()) {
      return Proposal.reject("the request sets MAC " + context.mac().get() + ", but a function"
          + " passed through whole keeps its own MAC (only SR-IOV VFs and virtio NICs take one)");
    }
    if (nic.vlan().isPresent()) {
      return Proposal.reject("the request sets VLAN " + nic.vlan().getAsInt() + ", but a function"
          + " passed through whole cannot be given a VLAN by the host (only SR-IOV VFs can)");
    }
    List<NetworkFunction> candidates;
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
      candidates = preferenceOrder(inventory, nic);
    }
    if (candidates.isEmpty()) {
      return Proposal.reject("this host has no network function to pass through");
    }
    List<Supplier<String>> refusals = new ArrayList<>();
    for (NetworkFunction candidate : candidates) {
      Judgement judgement = judge(context, candidate);
      if (judgement.refusal != null) {
        refusals.add(judgement.refusal);
      } else {
        return Proposal.accept(assignment(context, candidate, judgement.companions));
      }
    }
    return Proposal.reject(candidates.size() == 1 ? refusals.get(0).get()
        : DeviceAssignmentRules.summarize("no network function can be passed through",
            refusals, REFUSALS_SHOWN));
  }

  /**
   * Requested NUMA node first, then functions without SR-IOV (a PF is worth more as a source of
   * VFs), then those whose IOMMU group holds fewest other devices, then by address. Keys are
   * computed once per function: this runs for every NIC of a batch.
   */
  private static List<NetworkFunction> preferenceOrder(HostInventory inventory, NicRequest nic) {
    List<Ranked> ranked = new ArrayList<>();
    for (NetworkFunction function : inventory.functionsByAddress().values()) {
      ranked.add(new Ranked(function, onRequestedNode(function, nic) ? 0 : 1,
          function.sriov().filter(s -> s.totalVfs() > 0).isPresent() ? 1 : 0,
          groupSize(inventory, function)));
    }
    ranked.sort(Comparator.comparingInt((Ranked r) -> r.offNode)
        .thenComparingInt(r -> r.sriov)
        .thenComparingInt(r -> r.groupSize)
        .thenComparing(r -> r.function.address()));
    List<NetworkFunction> ordered = new ArrayList<>(ranked.size());
    for (Ranked r : ranked) {
      ordered.add(r.function);
    }
    return ordered;
  }

  private static final class Ranked {
    final NetworkFunction function;
    final int offNode;
    final int sriov;
    final int groupSize;

    Ranked(NetworkFunction function, int offNode, int sriov, int groupSize) {
      this.function = function;
      this.offNode = offNode;
      this.sriov = sriov;
      this.groupSize = groupSize;
    }
  }

  private static int groupSize(HostInventory inventory, NetworkFunction function) {
    if (function.iommuGroup().isEmpty()) {
      return Integer.MAX_VALUE;
    }
    IommuGroup group = inventory.iommu().groupsById().get(function.iommuGroup().getAsInt());
    return group == null ? Integer.MAX_VALUE : group.members().size();
  }

  /** Either a refusal (built lazily: most are never shown) or the companions to take along. */
  private static final class Judgement {
    final Supplier<String> refusal;
    final List<PciAddress> companions;

    private Judgement(Supplier<String> refusal, List<PciAddress> companions) {
      this.refusal = refusal;
      this.companions = companions;
    }

    static Judgement refuse(Supplier<String> refusal) {
      return new Judgement(refusal, List.of());
    }

    static Judgement accept(List<PciAddress> companions) {
      return new Judgement(null, companions);
    }
  }

  private static Judgement judge(PlanningContext context, NetworkFunction function) {
    HostInventory inventory = context.inventory();
    DeviceUsage usage = context.usage();
    PciAddress address = function.address();
    if (inventory.managementFunctions().contains(address)) {
      return Judgement.refuse(() -> describe(function)
          + " is the host's management NIC (it carries the default route)");
    }
    Optional<String> holder = usage.holder(address);
    if (holder.isPresent()) {
      return Judgement.refuse(() -> describe(function) + " is already given to guest "
          + holder.get());
    }
    Optional<Supplier<String>> vfsInUse = vfsInUse(inventory, usage, function);
    if (vfsInUse.isPresent()) {
      return Judgement.refuse(vfsInUse.get());
    }
    Optional<String> tooSlow = DeviceAssignmentRules.tooSlow(function, context.nic());
    if (tooSlow.isPresent()) {
      return Judgement.refuse(tooSlow::get);
    }
    if (function.iommuGroup().isEmpty()) {
      return Judgement.refuse(() -> describe(function) + " is in no IOMMU group");
    }
    int groupId = function.iommuGroup().getAsInt();
    Optional<IommuGroup> group = inventory.iommu().group(groupId);
    if (group.isEmpty()) {
      return Judgement.refuse(() -> describe(function) + " names IOMMU group " + groupId
          + ", which the inventory does not list");
    }
    List<PciAddress> companions = new ArrayList<>();
    for (IommuGroupMember member : group.get().members()) {
      if (member.address().equals(address) || member.isBridge()) {
        continue;
      }
      Optional<Supplier<String>> blocker = companionBlocker(context, groupId, member);
      if (blocker.isPresent()) {
        return Judgement.refuse(blocker.get());
      }
      if (inventory.function(member.address()).isPresent()) {
        companions.add(member.address());
      }
    }
    return Judgement.accept(companions);
  }

  /** vfio-pci takes no PF that has VFs; VFs that guests hold would vanish with it. */
  private static Optional<Supplier<String>> vfsInUse(
      HostInventory inventory, DeviceUsage usage, NetworkFunction function) {
    Optional<SriovCapability> sriov = function.sriov();
    if (sriov.isEmpty() || usage.heldVfCount(sriov.get()) == 0) {
      return Optional.empty();
    }
    return Optional.of(() -> {
      PciAddress held = sriov.get().allVfAddresses().stream().filter(usage::inUse)
          .findFirst().orElseThrow();
      return describe(function) + " is an SR-IOV PF whose VFs are in use ("
          + describe(inventory, held) + " by guest " + usage.holder(held).orElseThrow()
          + (usage.heldVfCount(sriov.get()) > 1
              ? " and " + (usage.heldVfCount(sriov.get()) - 1) + " more" : "")
          + ")";
    });
  }

  /**
   * Why another member of the group stops the function from being assigned, or empty when the
   * member is harmless (already off the host) or a network function the guest can take along.
   */
  private static Optional<Supplier<String>> companionBlocker(
      PlanningContext context, int groupId, IommuGroupMember member) {
    HostInventory inventory = context.inventory();
    DeviceUsage usage = context.usage();
    String lead = "IOMMU group " + groupId + " also holds ";
    Optional<String> holder = usage.holder(member.address());
    if (holder.isPresent()) {
      return Optional.of(() -> lead + describe(inventory, member) + ", already given to guest "
          + holder.get());
    }
    Optional<NetworkFunction> port = inventory.function(member.address());
    if (port.isEmpty()) {
      return member.allowsAssignment() ? Optional.empty()
          : Optional.of(() -> lead + describe(inventory, member) + ", which the host uses (every"
              + " other member must be a bridge, on vfio-pci or pci-stub, or go to the guest too)");
    }
    if (inventory.managementFunctions().contains(member.address())) {
      return Optional.of(() -> lead + describe(port.get())
          + ", the host's management NIC, so neither can be given to a guest");
    }
    Optional<Supplier<String>> vfsInUse = vfsInUse(inventory, usage, port.get());
    if (vfsInUse.isPresent()) {
      return Optional.of(() -> lead + "another function that cannot go: " + vfsInUse.get().get());
    }
    if (!context.policy().takeWholeIommuGroups()) {
      return Optional.of(() -> lead + describe(port.get()) + ", and the host policy does not let"
          + " a guest take a whole group (takeWholeIommuGroups is off)");
    }
    return Optional.empty();
  }

  private static PassthroughNic assignment(
      PlanningContext context, NetworkFunction function, List<PciAddress> companions) {
    HostInventory inventory = context.inventory();
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
          .ifPresent(s -> reason.append("; its ").append(s.numVfs()).append(" unused VFs of ")
              .append(device).append(" are removed first (sriov_numvfs ").append(s.numVfs())
              .append(" -> 0): vfio-pci takes no PF that has VFs"));
    }
    context.nic().numaNode().ifPresent(node -> reason.append(numaNote(function, context.nic())));
    reason.append("; ")
        .append(DeviceAssignmentRules.interruptNote(inventory, context.policy()));
    return PassthroughNic.builder()
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
    return "; not on the requested NUMA node " + node + " (no function there can be passed"
        + " through; this one is on "
        + (function.numaNode().isPresent() ? "node " + function.numaNode().getAsInt()
            : "an unknown node")
        + ")";
  }

  private static List<PciAddress> concat(PciAddress first, List<PciAddress> rest) {
    List<PciAddress> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
