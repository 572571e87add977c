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

  /**
   * The port's name on its switch or card ({@code phys_port_name}, e.g. {@code p0}, {@code sw0p1}):
   * tells apart the netdevs of one function when their {@code dev_port} is the same.
   */
  Optional<String> physPortName();

  /** True when this interface carries the host's default route: never given to a guest. */
  @Value.Default
  default boolean management() {
    return false;
  }

  static ImmutableNetDev.Builder builder() {
    return ImmutableNetDev.builder();
  }
}
