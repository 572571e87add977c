package org.niovirt.libvirt;

import org.immutables.value.Value;

/** A PF's link is brought up; {@link #wasUp()} says whether it already was. */
@Value.Immutable(builder = false)
public non-sealed interface LinkChange extends HostChange {
  @Value.Parameter
  String netdev();

  @Value.Parameter
  boolean wasUp();

  static LinkChange of(String netdev, boolean wasUp) {
    return ImmutableLinkChange.of(netdev, wasUp);
  }

  @Override
  default String describe() {
    return "link " + netdev() + " up (was " + (wasUp() ? "up" : "down") + ")";
  }
}
