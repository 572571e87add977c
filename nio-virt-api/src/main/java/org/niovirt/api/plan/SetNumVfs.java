package org.niovirt.api.plan;

import org.immutables.value.Value;
import org.niovirt.api.model.PciAddress;

/**
 * Set a PF's {@code sriov_numvfs}: raised to create VFs (through 0 when it is already non-zero), or
 * lowered to 0 before the PF itself is passed through whole.
 */
@Value.Immutable(builder = false)
public non-sealed interface SetNumVfs extends HostAction {
  @Value.Parameter
  PciAddress physicalFunction();

  @Value.Parameter
  int from();

  @Value.Parameter
  int to();

  static SetNumVfs of(PciAddress pf, int from, int to) {
    return ImmutableSetNumVfs.of(pf, from, to);
  }

  /** One change per PF: raised once, to the most any NIC of the batch needs. */
  @Override
  default Object mergeKey() {
    return "sriov_numvfs " + physicalFunction();
  }

  @Override
  default HostAction mergedWith(HostAction other) {
    return other instanceof SetNumVfs more && more.to() > to() ? of(physicalFunction(), from(), more.to()) : this;
  }

  @Override
  default String describe() {
    return "set sriov_numvfs of " + physicalFunction() + " from " + from() + " to " + to();
  }
}
