package org.niovirt.libvirt.xml;

import org.immutables.value.Value;

/** {@code <interface type='network'><source network='default'/>}. */
@Value.Immutable(builder = false)
public non-sealed interface NetworkSourceXml extends InterfaceSourceXml {
  @Value.Parameter
  String network();

  @Override
  default String interfaceType() {
    return "network";
  }

  static NetworkSourceXml of(String network) {
    return ImmutableNetworkSourceXml.of(network);
  }
}
