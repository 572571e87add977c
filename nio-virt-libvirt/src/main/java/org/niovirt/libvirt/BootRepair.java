package org.niovirt.libvirt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.niovirt.api.error.NioVirtException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.VfCondition;
import org.niovirt.api.plan.VfSurvey;
import org.niovirt.libvirt.xml.HostDeviceMove;

/**
 * Applies what {@link BootCheck} found, where no running guest is affected: raises a PF's
 * {@code sriov_numvfs} to what its domains need (and its link), and points a shut-off domain whose
 * VF moved at its VF's new address, and clears the MAC and VLAN that orphaned VFs still carry. A PF
 * whose VFs a running guest or a user outside libvirt holds is left alone (re-creating VFs goes
 * through 0), and a running domain is not redefined: each is reported with the reason.
 * Run it under the host lock's protection of launches: it is {@link LibvirtHost#repair}.
 */
final class BootRepair {
  private BootRepair() {}

  static RepairOutcome repair(LibvirtHost host, HostInventory inventory, HostPreparer preparer) {
    List<String> done = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    List<GuestSummary> guests = host.list();
    DeviceUsage running = LibvirtHost.usageOf(guests.stream().filter(g -> g.state().active()).toList());
    Map<PciAddress, Integer> needed = new TreeMap<>();
    // PFs whose links go up: once each, however many guests' findings name them.
    Set<PciAddress> linksUp = new TreeSet<>();
    for (BootCheck.Finding finding : BootCheck.check(guests, inventory)) {
      switch (finding.kind()) {
        case VF_MISSING -> {
          if (finding.physicalFunction().isPresent() && finding.vfIndex().isPresent()) {
            needed.merge(finding.physicalFunction().get(), finding.vfIndex().getAsInt() + 1, Math::max);
          } else {
            refused.add(finding.guest() + ": " + finding.device() + ": its VF index is unknown; plan it again");
          }
        }
        case PF_DOWN -> inventory.physicalFunctionOf(finding.device())
            .ifPresent(pf -> linksUp.add(pf.address()));
        case VF_MOVED -> move(host, finding, done, refused);
        case DEVICE_GONE -> refused.add(finding.guest() + ": " + finding.fix());
        default -> throw new IllegalStateException("unknown finding " + finding.kind());
      }
    }
    List<VfSurvey.Entry> survey = VfSurvey.survey(inventory, LibvirtHost.usageOf(guests));
    needed.forEach((pf, count) -> {
      Optional<VfSurvey.Entry> foreign = survey.stream()
          .filter(e -> e.physicalFunction().equals(pf) && e.condition() instanceof VfCondition.Foreign).findFirst();
      if (foreign.isPresent()) {
        refused.add("sriov_numvfs of " + pf + " stays: re-creating its VFs (through 0) would remove VF "
            + foreign.get().index() + ", " + foreign.get().condition().describe());
        return;
      }
      try {
        int current = preparer.numVfs(pf);
        int target = Math.max(current, count);
        preparer.apply(NumVfsChange.of(pf, current, target), running);
        done.add("sriov_numvfs of " + pf + ": " + current + " -> " + target);
        linksUp.add(pf);
      } catch (NioVirtException e) {
        refused.add(pf + ": " + e.getMessage());
      }
    });
    for (PciAddress pf : linksUp) {
      inventory.function(pf).ifPresent(function -> raiseLinks(function, preparer, running, done, refused));
    }
    clearOrphans(survey, inventory, preparer, done, refused);
    return new RepairOutcome(done, refused);
  }

  /** An orphaned VF (no domain holds it) loses the MAC and VLAN an earlier owner left on it. */
  private static void clearOrphans(List<VfSurvey.Entry> survey, HostInventory inventory,
      HostPreparer preparer, List<String> done, List<String> refused) {
    for (VfSurvey.Entry entry : survey) {
      if (!(entry.condition() instanceof VfCondition.Orphaned orphaned)) {
        continue;
      }
      Optional<String> netdev = inventory.function(entry.physicalFunction())
          .flatMap(NetworkFunction::firstPortNetdev)
          .map(NetDev::name);
      if (netdev.isEmpty()) {
        refused.add("VF " + entry.index() + " of " + entry.physicalFunction() + " keeps "
            + orphaned.admin().describeAddress() + ": its PF has no netdev to clear it through");
        continue;
      }
      try {
        preparer.clearVf(netdev.get(), entry.index());
        done.add("VF " + entry.index() + " of " + entry.physicalFunction() + " (" + netdev.get()
            + "): orphaned " + orphaned.admin().describeAddress() + " cleared");
      } catch (NioVirtException e) {
        refused.add("VF " + entry.index() + " of " + entry.physicalFunction() + ": " + e.getMessage());
      }
    }
  }

  private static void raiseLinks(NetworkFunction pf, HostPreparer preparer, DeviceUsage usage,
      List<String> done, List<String> refused) {
    for (NetDev netdev : pf.netdevs()) {
      try {
        IpLinkControl.requireNetdevName(netdev.name());
        preparer.apply(LinkChange.of(netdev.name(), false), usage);
        done.add("link " + netdev.name() + " of " + pf.address() + " up");
      } catch (NioVirtException e) {
        refused.add(pf.address() + ": " + e.getMessage());
      }
    }
  }

  /** A shut-off domain is redefined with its VF's new address; a running one is left alone. */
  private static void move(LibvirtHost host, BootCheck.Finding finding, List<String> done, List<String> refused) {
    if (finding.state().active()) {
      refused.add(finding.guest() + ": runs; stop it, then repair again (its VF moved to "
          + finding.nowAt().orElseThrow() + ")");
      return;
    }
    String xml = HostDeviceMove.move(host.xml(finding.guest()), finding.device(), finding.nowAt().orElseThrow());
    LibvirtHost.call("redefine domain " + finding.guest(), () -> host.connection().domainDefineXML(xml));
    done.add(finding.guest() + ": now on " + finding.nowAt().get() + " (was " + finding.device() + ")");
  }
}
