package org.niovirt.api.model;

import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/** One kernel network interface of a PCI function (a function may have several: {@code dev_port}). */
@Value.Immutable
public interface NetDev {
  String name();

  Optional<MacAddress> mac();

  @Value.Default
  default OperState operState() {
    return OperState.UNKNOWN;
  }

  /** Link speed in Mb/s; empty when the link is down or the driver does not say. */
  OptionalInt speedMbps();

  @Value.Default
  default int devPort() {
    return 0;
  }

  /** True when this interface carries the host's default route: never given to a guest. */
  @Value.Default
  default boolean management() {
    return false;
  }

  static ImmutableNetDev.Builder builder() {
    return ImmutableNetDev.builder();
  }
}
