package org.niovirt.api.model;

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

  /** True when its netdev carries the host's default route: never given to a guest. */
  @Value.Default
  default boolean management() {
    return false;
  }

  static ImmutableVirtualFunction.Builder builder() {
    return ImmutableVirtualFunction.builder();
  }
}
