package org.niovirt.libvirt;

import org.immutables.value.Value;
import org.niovirt.api.model.PciAddress;

/** {@code sriov_numvfs} of a PF goes from {@link #before()} to {@link #after()}. */
@Value.Immutable(builder = false)
public non-sealed interface NumVfsChange extends HostChange {
  @Value.Parameter
  PciAddress physicalFunction();

  @Value.Parameter
  int before();

  @Value.Parameter
  int after();

  static NumVfsChange of(PciAddress physicalFunction, int before, int after) {
    return ImmutableNumVfsChange.of(physicalFunction, before, after);
  }

  @Override
  default String describe() {
    return "sriov_numvfs of " + physicalFunction() + " from " + before() + " to " + after();
  }
}
