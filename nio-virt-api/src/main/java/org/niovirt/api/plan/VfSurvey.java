package org.niovirt.api.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.VirtualFunction;

/**
 * Classifies every VF of a host ({@link VfCondition}) from the inventory (sysfs and the PFs'
 * netlink reports) and the domains' usage. The SR-IOV provider, {@code host check} and the
 * dashboard share it, so that they never disagree on what a VF is.
 */
public final class VfSurvey {
  /** Userspace I/O drivers: a VF bound to one is a DPDK (or similar) application's. */
  private static final Set<String> USERSPACE_DRIVERS = Set.of("igb_uio", "uio_pci_generic");

  private VfSurvey() {}

  /** One VF of one PF and its condition; {@code address} is empty only for a lost VF of unknown layout. */
  public record Entry(PciAddress physicalFunction, int index, Optional<PciAddress> address,
      VfCondition condition) {}

  /** The condition of an existing VF. */
  public static VfCondition classify(HostInventory inventory, VirtualFunction vf, DeviceUsage usage) {
    Optional<String> holder = usage.holder(vf.address());
    if (holder.isPresent()) {
      return new VfCondition.Held(holder.get());
    }
    Optional<String> foreign = foreignUser(inventory, vf);
    if (foreign.isPresent()) {
      return new VfCondition.Foreign(foreign.get());
    }
    if (vf.admin().filter(admin -> admin.carriesAddress()).isPresent()) {
      return new VfCondition.Orphaned(vf.admin().get());
    }
    return new VfCondition.Free();
  }

  /** What uses the VF besides libvirt's domains, if anything does. */
  public static Optional<String> foreignUser(HostInventory inventory, VirtualFunction vf) {
    if (vf.management() || inventory.managementFunctions().contains(vf.address())) {
      return Optional.of("it is the host's management NIC");
    }
    Optional<String> driver = vf.driver().filter(USERSPACE_DRIVERS::contains);
    if (driver.isPresent()) {
      return Optional.of("bound to " + driver.get() + ", a userspace (DPDK) driver, and no domain holds it");
    }
    if (vf.netdevRouted() && vf.netdevState().mayCarryTraffic() && vf.netdev().isPresent()) {
      return Optional.of("its netdev " + vf.netdev().get() + " is up with an address on the host");
    }
    return Optional.empty();
  }

  /** Every VF of every PF, lost ones included, by PF then index. */
  public static List<Entry> survey(HostInventory inventory, DeviceUsage usage) {
    List<Entry> entries = new ArrayList<>();
    for (NetworkFunction pf : inventory.sriovFunctions()) {
      SriovCapability sriov = pf.sriov().orElseThrow();
      int highest = Math.max(sriov.numVfs(), sriov.vfs().stream().mapToInt(vf -> vf.index() + 1).max().orElse(0));
      for (int index = 0; index < highest; index++) {
        Optional<VirtualFunction> vf = sriov.vf(index);
        if (vf.isPresent()) {
          entries.add(new Entry(pf.address(), index, Optional.of(vf.get().address()),
              classify(inventory, vf.get(), usage)));
        } else {
          Optional<PciAddress> expected = sriov.layoutKnown()
              ? Optional.of(sriov.vfAddress(index)) : Optional.empty();
          entries.add(new Entry(pf.address(), index, expected, new VfCondition.Lost(sriov.numVfs())));
        }
      }
    }
    return entries;
  }

  /** Whether {@code address} is a VF that its PF counts but that is absent: which PF and index. */
  public static Optional<Entry> lost(HostInventory inventory, PciAddress address) {
    for (NetworkFunction pf : inventory.sriovFunctions()) {
      SriovCapability sriov = pf.sriov().orElseThrow();
      if (!sriov.layoutKnown()) {
        continue;
      }
      for (int index = 0; index < sriov.numVfs(); index++) {
        if (sriov.vf(index).isEmpty() && sriov.vfAddress(index).equals(address)) {
          return Optional.of(new Entry(pf.address(), index, Optional.of(address),
              new VfCondition.Lost(sriov.numVfs())));
        }
      }
    }
    return Optional.empty();
  }
}
