package org.niovirt.sriov;

import static org.niovirt.api.spi.DeviceAssignmentRules.describe;
import static org.niovirt.api.spi.DeviceAssignmentRules.onRequestedNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuGroupMember;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.OperState;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.VfAdminState;
import org.niovirt.api.model.VirtualFunction;
import org.niovirt.api.plan.HostAction;
import org.niovirt.api.plan.LinkUp;
import org.niovirt.api.plan.SetNumVfs;
import org.niovirt.api.plan.SriovNic;
import org.niovirt.api.plan.VfSurvey;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;
import org.niovirt.api.request.VirtioAttachment;
import org.niovirt.api.spi.DeviceAssignmentRules;
import org.niovirt.api.spi.NetworkIoProvider;
import org.niovirt.api.spi.PlanningContext;
import org.niovirt.api.spi.Proposal;
import org.niovirt.api.spi.Refusals;

/**
 * SR-IOV: a virtual function of a PF whose driver is loaded, given through libvirt's
 * {@code <interface type='hostdev'>} so that libvirt sets its MAC and VLAN through the PF. Picks
 * an existing free VF, or one to create by raising {@code sriov_numvfs} within
 * {@code sriov_totalvfs}; prefers the requested NUMA node, then the PF with fewest VFs in use, so
 * that guests spread across PFs.
 */
public final class SriovProvider implements NetworkIoProvider {
  private static final int REFUSALS_SHOWN = 3;

  public SriovProvider() {}

  @Override
  public Technology technology() {
    return Technology.SRIOV;
  }

  /** Through a failover pair: the VF is unplugged for migration, a virtio standby carries on. */
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
    Optional<String> failoverRefusal = DeviceAssignmentRules.failoverRefusal(context, "VF");
    if (failoverRefusal.isPresent()) {
      return Proposal.reject(failoverRefusal.get());
    }
    List<NetworkFunction> pfs;
    Optional<PciAddress> wantedVf = Optional.empty();
    if (nic.hostDevice().isPresent()) {
      PciAddress wanted = nic.hostDevice().get();
      Optional<NetworkFunction> function = inventory.function(wanted);
      Optional<NetworkFunction> parent = inventory.physicalFunctionOf(wanted);
      if (function.isPresent()) {
        if (!sriovCapable(function.get())) {
          return Proposal.reject("the requested " + describe(function.get())
              + " cannot make VFs (no SR-IOV capability, or sriov_totalvfs is 0)");
        }
        pfs = List.of(function.get());
      } else if (parent.isPresent()) {
        pfs = List.of(parent.get());
        wantedVf = Optional.of(wanted);
      } else {
        Optional<VfSurvey.Entry> lost = VfSurvey.lost(inventory, wanted);
        if (lost.isPresent()) {
          return Proposal.reject("the requested " + wanted + " is VF " + lost.get().index() + " of "
              + lost.get().physicalFunction() + ", " + lost.get().condition().describe());
        }
        return Proposal.reject("the requested " + wanted
            + " is neither an SR-IOV PF nor a VF of this host");
      }
    } else {
      pfs = inventory.sriovFunctions();
      if (pfs.isEmpty()) {
        return Proposal.reject("no network function of this host is SR-IOV capable"
            + " (none has sriov_totalvfs above 0)");
      }
    }

    // One pass over the PFs, then the best usable one: this runs for every NIC of a batch.
    Refusals refusals = new Refusals(REFUSALS_SHOWN);
    List<Candidate> usable = new ArrayList<>();
    for (NetworkFunction pf : pfs) {
      SriovCapability sriov = pf.sriov().get();
      int inUse = context.usage().heldVfCount(sriov);
      Supplier<String> refusal = pfRefusal(context, pf, sriov, inUse);
      if (refusal != null) {
        refusals.add(refusal);
      } else {
        usable.add(new Candidate(pf, sriov, inUse,
            inventory.managementFunctions().contains(pf.address()), onRequestedNode(pf, nic) ? 0 : 1));
      }
    }
    // Requested NUMA node first, then the PF with the fewest VFs in use, the host's own uplink
    // last (its VFs share the management link), then by address. Plain ints: this ranks every
    // PF for every NIC of a batch.
    Comparator<Candidate> preference = (a, b) -> {
      int order = Integer.compare(a.offNode, b.offNode);
      if (order == 0) {
        order = Integer.compare(a.vfsInUse, b.vfsInUse);
      }
      if (order == 0) {
        order = Boolean.compare(a.management, b.management);
      }
      return order != 0 ? order : Long.compare(a.pf.address().sortKey(), b.pf.address().sortKey());
    };
    int usableCount = usable.size();
    while (!usable.isEmpty()) {
      Candidate candidate = removeBest(usable, preference);
      VfChoice choice = VfPicker.pick(inventory, context.usage(), candidate.pf, wantedVf);
      if (choice.refusal != null) {
        refusals.add(choice.refusal);
      } else {
        SriovNic vf = assignment(context, candidate, choice, usableCount);
        return Proposal.accept(vf, hostActions(candidate.pf, vf));
      }
    }
    int pfCount = pfs.size();
    return Proposal.reject(refusals.describeLater(() -> "no free VF on any of " + pfCount + " SR-IOV PFs"));
  }

  /** Picks and removes the best candidate: usually the first pick serves, so no full sort. */
  private static Candidate removeBest(List<Candidate> candidates, Comparator<Candidate> order) {
    int best = 0;
    for (int i = 1; i < candidates.size(); i++) {
      if (order.compare(candidates.get(i), candidates.get(best)) < 0) {
        best = i;
      }
    }
    Candidate chosen = candidates.get(best);
    candidates.set(best, candidates.get(candidates.size() - 1));
    candidates.remove(candidates.size() - 1);
    return chosen;
  }

  private static boolean sriovCapable(NetworkFunction function) {
    return function.sriov().filter(SriovCapability::providesVfs).isPresent();
  }

  private static final class Candidate {
    final NetworkFunction pf;
    final SriovCapability sriov;
    final int vfsInUse;
    final boolean management;
    /** 0 on the NUMA node the NIC asks for (or when it asks for none), 1 elsewhere. */
    final int offNode;

    Candidate(NetworkFunction pf, SriovCapability sriov, int vfsInUse, boolean management, int offNode) {
      this.offNode = offNode;
      this.pf = pf;
      this.sriov = sriov;
      this.vfsInUse = vfsInUse;
      this.management = management;
    }
  }

  /** Why a PF cannot provide a VF at all, before looking at its VFs one by one; null if it can. */
  private static Supplier<String> pfRefusal(
      PlanningContext context, NetworkFunction pf, SriovCapability sriov, int vfsInUse) {
    int capacity = Math.max(sriov.totalVfs(), sriov.vfs().size());
    if (vfsInUse >= capacity) {
      return () -> "all " + capacity + " VFs of " + describe(pf) + " are taken";
    }
    String driver = pf.driver().orElse(null);
    if (driver == null) {
      return () -> describe(pf) + " has no driver bound, and only the PF's own driver can create"
          + " and run VFs";
    }
    if (IommuGroupMember.ASSIGNMENT_DRIVERS.contains(driver)) {
      return () -> describe(pf) + " is bound to " + driver + ", not to its network driver, so it"
          + " cannot provide VFs";
    }
    Optional<String> holder = context.usage().holder(pf.address());
    if (holder.isPresent()) {
      return () -> describe(pf) + " is given whole to guest " + holder.get();
    }
    Optional<String> tooSlow = DeviceAssignmentRules.tooSlow(pf, context.nic());
    return tooSlow.isPresent() ? tooSlow::get : null;
  }

  private static SriovNic assignment(
      PlanningContext context, Candidate candidate, VfChoice choice, int usablePfs) {
    NetworkFunction pf = candidate.pf;
    SriovCapability sriov = pf.sriov().get();
    HostInventory inventory = context.inventory();
    int required = choice.existing.isPresent() ? sriov.numVfs() : choice.index + 1;
    StringBuilder reason = new StringBuilder(describe(inventory, choice.address));
    Optional<VfAdminState> orphaned = choice.existing.flatMap(VirtualFunction::admin)
        .filter(VfAdminState::carriesAddress);
    if (orphaned.isPresent()) {
      reason.append(", an existing VF an earlier owner left with ").append(orphaned.get().describeAddress())
          .append(" (no free VF is left; libvirt sets the planned MAC over it)");
    } else if (choice.existing.isPresent()) {
      reason.append(", an existing free VF");
    } else {
      reason.append(", created by raising sriov_numvfs of ").append(pf.address())
          .append(" from ").append(sriov.numVfs()).append(" to ").append(required)
          .append(" (sriov_totalvfs ").append(sriov.totalVfs()).append(')');
    }
    int capacity = Math.max(sriov.totalVfs(), sriov.vfs().size());
    reason.append("; PF ").append(describe(pf)).append(" had ").append(candidate.vfsInUse)
        .append(" of ").append(capacity).append(" VFs in use")
        .append(usablePfs > 1 ? ", the fewest of " + usablePfs + " usable PFs" : "");
    context.nic().numaNode().ifPresent(node -> {
      String where = pf.numaNode().stream().mapToObj(n -> "node " + n).findFirst()
          .orElse("an unknown node");
      reason.append(onRequestedNode(pf, context.nic())
          ? "; on NUMA node " + node + " as requested"
          : context.nic().hostDevice().isPresent()
              ? "; the requested device is on " + where + ", not on the requested NUMA node " + node
              : "; not on the requested NUMA node " + node + " (no free VF there), on " + where);
    });
    if (context.mac().isPresent() || context.nic().vlan().isPresent()) {
      reason.append("; ")
          .append(context.mac().map(mac -> "MAC " + mac).orElse(""))
          .append(context.mac().isPresent() && context.nic().vlan().isPresent() ? " and " : "")
          .append(context.nic().vlan().stream().mapToObj(v -> "VLAN " + v).findFirst().orElse(""))
          .append(" set on the VF by libvirt through the PF");
    }
    Optional<NetDev> pfNetdev = pf.firstPortNetdev();
    if (pfNetdev.isEmpty()) {
      reason.append("; the PF has no netdev, so its link cannot be checked (libvirt needs it up"
          + " to set the VF's MAC)");
    } else if (pfNetdev.get().operState() == OperState.UP) {
      reason.append("; PF link ").append(pfNetdev.get().name()).append(" is up");
    } else {
      reason.append("; PF link ").append(pfNetdev.get().name()).append(" is ")
          .append(pfNetdev.get().operState().name().toLowerCase(java.util.Locale.ROOT))
          .append(": the plan brings it up first (libvirt cannot set a VF's MAC while its PF is"
              + " down)");
    }
    reason.append("; ").append(DeviceAssignmentRules.interruptNote(inventory, context.policy()));
    Optional<MacAddress> mac = context.mac();
    Optional<VirtioAttachment> standby = Optional.empty();
    if (context.nic().liveMigration()) {
      standby = Optional.of(context.nic().virtioAttachment());
      mac = Optional.of(mac.orElseGet(() -> Failover.mac(context)));
      reason.append("; paired with a virtio standby on ").append(standby.get().describe())
          .append(" sharing MAC ").append(mac.get()).append(" (virtio-net failover): the VF is unplugged for"
              + " migration and the guest keeps its network on virtio; the guest needs net_failover (Linux"
              + " 4.18+, virtio-win 0.1.189+ on Windows), and QEMU puts the VF on its own PCIe root port");
    }
    return SriovNic.builder()
        .nicIndex(context.nicIndex())
        .mac(mac)
        .failoverStandby(standby)
        .vlan(context.nic().vlan())
        .physicalFunction(pf.address())
        .physicalFunctionNetdev(pfNetdev.map(NetDev::name))
        .virtualFunction(choice.address)
        .vfIndex(choice.index)
        .vfExists(choice.existing.isPresent())
        .requiredNumVfs(required)
        .reason(reason.toString())
        .build();
  }

  /**
   * What the host needs for this VF: raise the PF's {@code sriov_numvfs} when the VF does not exist
   * yet (the planner merges a batch's raises into one per PF), and bring the PF's link up when it
   * is down, since libvirt sets the VF's MAC and VLAN through it.
   */
  private static List<HostAction> hostActions(NetworkFunction pf, SriovNic nic) {
    List<HostAction> actions = new ArrayList<>();
    if (!nic.vfExists()) {
      int current = pf.sriov().map(SriovCapability::numVfs).orElse(0);
      actions.add(SetNumVfs.of(pf.address(), current, nic.requiredNumVfs()));
    }
    nic.physicalFunctionNetdev().ifPresent(netdev -> {
      boolean up = pf.netdevs().stream().filter(d -> d.name().equals(netdev))
          .anyMatch(d -> d.operState() == OperState.UP);
      if (!up) {
        actions.add(LinkUp.of(netdev));
      }
    });
    return actions;
  }
}
