package org.niovirt.libvirt.xml;

import org.immutables.value.Value;

/** {@code <interface type='bridge'><source bridge='br0'/>}. */
@Value.Immutable(builder = false)
public non-sealed interface BridgeSourceXml extends InterfaceSourceXml {
  @Value.Parameter
  String bridge();

  @Override
  default String interfaceType() {
    return "bridge";
  }

  static BridgeSourceXml of(String bridge) {
    return ImmutableBridgeSourceXml.of(bridge);
  }
}
