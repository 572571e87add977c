package org.niovirt.libvirt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;

/**
 * What a host must look like at boot, before libvirt starts, for every defined domain's SR-IOV VF
 * to exist: per PF, how many VFs (the highest VF index any domain holds, plus one) and its link up
 * (libvirt sets a VF's MAC through its PF). A reboot resets {@code sriov_numvfs} to 0 and libvirt
 * cannot re-create VFs, so this is what {@link BootUnit} re-applies.
 *
 * @param physicalFunctions by PF address, in address order
 * @param unresolved host devices held by domains that are on no PF of this host: a VF whose PF is
 *     gone, or whose index cannot be told (named for people; nothing is created for them)
 */
public record BootState(List<PhysicalFunctionState> physicalFunctions, List<String> unresolved) {
  public BootState {
    physicalFunctions = List.copyOf(physicalFunctions);
    unresolved = List.copyOf(unresolved);
  }

  /** One PF: the VF count the domains need and the domains that need it. */
  public record PhysicalFunctionState(PciAddress physicalFunction, int numVfs, List<String> guests) {
    public PhysicalFunctionState {
      guests = List.copyOf(guests);
    }
  }

  /** The state the defined domains ({@code guests}) need on the host {@code inventory} describes. */
  public static BootState of(List<GuestSummary> guests, HostInventory inventory) {
    Map<PciAddress, Integer> numVfs = new TreeMap<>();
    Map<PciAddress, List<String>> holders = new TreeMap<>();
    List<String> unresolved = new ArrayList<>();
    for (GuestSummary guest : guests) {
      for (PciAddress device : guest.hostDevices()) {
        if (inventory.function(device).isPresent()) {
          continue; // a whole function passed through: nothing to re-create
        }
        Optional<NetworkFunction> pf = inventory.physicalFunctionOf(device);
        OptionalInt index = pf.flatMap(NetworkFunction::sriov).map(s -> s.indexOf(device))
            .orElse(OptionalInt.empty());
        if (index.isEmpty()) {
          unresolved.add(guest.name() + ": " + device);
          continue;
        }
        PciAddress address = pf.get().address();
        numVfs.merge(address, index.getAsInt() + 1, Math::max);
        List<String> names = holders.computeIfAbsent(address, a -> new ArrayList<>());
        if (!names.contains(guest.name())) {
          names.add(guest.name());
        }
      }
    }
    List<PhysicalFunctionState> states = new ArrayList<>();
    numVfs.forEach((pf, count) -> states.add(new PhysicalFunctionState(pf, count, holders.get(pf))));
    return new BootState(states, unresolved);
  }
}
