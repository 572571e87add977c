package org.niovirt.libvirt.xml;

import org.immutables.value.Value;

/** {@code <interface type='direct'><source dev='eth1' mode='bridge'/>} (macvtap). */
@Value.Immutable(builder = false)
public non-sealed interface DirectSourceXml extends InterfaceSourceXml {
  @Value.Parameter
  String device();

  /** macvtap mode: {@code bridge}, {@code vepa}, {@code private} or {@code passthrough}. */
  @Value.Parameter
  String mode();

  @Override
  default String interfaceType() {
    return "direct";
  }

  static DirectSourceXml of(String device, String mode) {
    return ImmutableDirectSourceXml.of(device, mode);
  }
}
