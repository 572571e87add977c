package org.niovirt.libvirt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.OperState;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.VirtualFunction;
import org.niovirt.libvirt.xml.RecordedNic;

/**
 * Compares every defined domain with the host as it is now, after a reboot or another tool's
 * changes: a guest whose VF does not exist, whose VF now sits at another address (found again by
 * the PF and VF index nio-virt recorded), whose PF link is down, or whose device is gone, cannot
 * start (or starts without network); each finding says how to fix it.
 */
public final class BootCheck {
  /** What stops a guest's device. */
  public enum Kind {
    /** The VF is not created: {@code sriov_numvfs} of its PF is too low (a reboot resets it). */
    VF_MISSING,
    /** The recorded PF and index now give another VF address than the domain's XML holds. */
    VF_MOVED,
    /** The VF's PF link is down: libvirt cannot set the VF's MAC. */
    PF_DOWN,
    /** The device is on no PF and is no function of this host. */
    DEVICE_GONE
  }

  /**
   * One finding: the guest, its state, the device its XML names, what is wrong and the fix; the
   * device's PF and VF index when known (what a repair needs).
   */
  public record Finding(String guest, DomainState state, PciAddress device, Kind kind,
      Optional<PciAddress> nowAt, String fix, Optional<PciAddress> physicalFunction, OptionalInt vfIndex) {
    Finding(String guest, DomainState state, PciAddress device, Kind kind, Optional<PciAddress> nowAt,
        String fix) {
      this(guest, state, device, kind, nowAt, fix, Optional.empty(), OptionalInt.empty());
    }

    /** What is wrong, in words: {@code vf missing (0000:3b:10.4)}. */
    public String problem() {
      return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " (" + device + ")";
    }
  }

  private BootCheck() {}

  public static List<Finding> check(List<GuestSummary> guests, HostInventory inventory) {
    List<Finding> findings = new ArrayList<>();
    for (GuestSummary guest : guests) {
      Set<PciAddress> checked = new HashSet<>();
      for (RecordedNic nic : guest.recordedPlan().map(plan -> plan.nics()).orElse(List.of())) {
        if (!nic.recordsVf()) {
          continue;
        }
        PciAddress device = nic.devices().get(0);
        if (!guest.hostDevices().contains(device)) {
          continue; // the XML was changed since: judged by address below
        }
        checked.add(device);
        recorded(guest, device, nic.physicalFunction().get(), nic.vfIndex().getAsInt(), inventory)
            .ifPresent(findings::add);
      }
      for (PciAddress device : guest.hostDevices()) {
        if (checked.add(device)) {
          byAddress(guest, device, inventory).ifPresent(findings::add);
        }
      }
    }
    return findings;
  }

  /** A VF nio-virt gave: found again by PF and index. */
  private static Optional<Finding> recorded(GuestSummary guest, PciAddress device, PciAddress pfAddress,
      int index, HostInventory inventory) {
    Optional<NetworkFunction> pf = inventory.function(pfAddress);
    if (pf.isEmpty() || pf.get().sriov().isEmpty()) {
      return Optional.of(new Finding(guest.name(), guest.state(), device, Kind.DEVICE_GONE,
          Optional.empty(), "its PF " + pfAddress + " is not an SR-IOV function of this host any more;"
              + " plan the guest again"));
    }
    SriovCapability sriov = pf.get().sriov().get();
    Optional<VirtualFunction> vf = sriov.vf(index);
    if (vf.isEmpty()) {
      return Optional.of(missing(guest, device, pf.get(), index));
    }
    if (!vf.get().address().equals(device)) {
      return Optional.of(new Finding(guest.name(), guest.state(), device, Kind.VF_MOVED,
          Optional.of(vf.get().address()), "VF " + index + " of " + pfAddress + " is now "
              + vf.get().address() + ": nio-virt host repair points the domain's XML at it"));
    }
    return linkDown(guest, device, pf.get());
  }

  /** A host device of a domain nio-virt did not record (or a passthrough function). */
  private static Optional<Finding> byAddress(GuestSummary guest, PciAddress device, HostInventory inventory) {
    if (inventory.function(device).isPresent()) {
      return Optional.empty();
    }
    Optional<NetworkFunction> pf = inventory.physicalFunctionOf(device);
    if (pf.isEmpty()) {
      return Optional.of(new Finding(guest.name(), guest.state(), device, Kind.DEVICE_GONE,
          Optional.empty(), device + " is no function of this host: plan the guest again"));
    }
    SriovCapability sriov = pf.get().sriov().orElseThrow();
    if (sriov.vfs().stream().anyMatch(vf -> vf.address().equals(device))) {
      return linkDown(guest, device, pf.get());
    }
    return Optional.of(missing(guest, device, pf.get(), sriov.indexOf(device).orElse(-1)));
  }

  private static Finding missing(GuestSummary guest, PciAddress device, NetworkFunction pf, int index) {
    String count = index >= 0 ? " to at least " + (index + 1) : "";
    return new Finding(guest.name(), guest.state(), device, Kind.VF_MISSING, Optional.empty(),
        "VF " + (index >= 0 ? index + " " : "") + "of " + pf.address() + " does not exist"
            + " (sriov_numvfs is " + pf.sriov().orElseThrow().numVfs() + "): raise it" + count
            + " with nio-virt host repair, and nio-virt host persist so that a reboot keeps it",
        Optional.of(pf.address()), index >= 0 ? OptionalInt.of(index) : OptionalInt.empty());
  }

  private static Optional<Finding> linkDown(GuestSummary guest, PciAddress device, NetworkFunction pf) {
    boolean down = !pf.netdevs().isEmpty()
        && pf.netdevs().stream().noneMatch(n -> n.operState() == OperState.UP);
    if (!down) {
      return Optional.empty();
    }
    return Optional.of(new Finding(guest.name(), guest.state(), device, Kind.PF_DOWN, Optional.empty(),
        "the link of its PF " + pf.address() + " (" + pf.netdevs().get(0).name() + ") is down: "
            + "ip link set dev " + pf.netdevs().get(0).name() + " up (nio-virt host persist does it at boot)"));
  }
}
