package org.niovirt.api.plan;

import org.immutables.value.Value;

/** Bring a PF's link up: libvirt refuses to set a VF's MAC while its PF is down. */
@Value.Immutable(builder = false)
public non-sealed interface LinkUp extends HostAction {
  @Value.Parameter
  String netdev();

  static LinkUp of(String netdev) {
    return ImmutableLinkUp.of(netdev);
  }

  @Override
  default Object mergeKey() {
    return "link " + netdev();
  }

  /** After the VFs exist: raising the link first gains nothing. */
  @Override
  default int stage() {
    return 1;
  }

  @Override
  default String describe() {
    return "bring link " + netdev() + " up";
  }
}
