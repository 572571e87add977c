package org.niovirt.api.model;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/** An existing SR-IOV virtual function ({@code virtfnN} of its PF). */
@Value.Immutable
public interface VirtualFunction {
  /** N of {@code virtfnN}. */
  int index();

  PciAddress address();

  Optional<String> driver();

  Optional<String> netdev();

  Optional<MacAddress> mac();

  OptionalInt iommuGroup();

  /** Its netdev's {@code operstate} on the host; UNKNOWN when it has no netdev (e.g. given to a guest). */
  @Value.Default
  default OperState netdevState() {
    return OperState.UNKNOWN;
  }

  /** Whether its netdev has a route of its own on the host (an address): the host uses it. */
  @Value.Default
  default boolean netdevRouted() {
    return false;
  }

  /** Its PF's netlink report on it (MAC, VLAN, spoof check, trust); empty when not read. */
  Optional<VfAdminState> admin();

  /** Its {@code reset_method} (e.g. {@code flr}, {@code bus}), empty when the kernel has none. */
  List<String> resetMethods();

  /** True when its netdev carries the host's default route: never given to a guest. */
  @Value.Default
  default boolean management() {
    return false;
  }

  static ImmutableVirtualFunction.Builder builder() {
    return ImmutableVirtualFunction.builder();
  }
}
