package org.niovirt.api.model;

import org.immutables.value.Value;

/** A PCIe link as sysfs reports it, e.g. {@code 8.0 GT/s PCIe} x4. */
@Value.Immutable(builder = false)
public interface PcieLink {
  @Value.Parameter
  String speed();

  @Value.Parameter
  int width();

  static PcieLink of(String speed, int width) {
    return ImmutablePcieLink.of(speed, width);
  }
}
