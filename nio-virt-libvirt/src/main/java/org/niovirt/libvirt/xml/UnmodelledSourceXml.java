package org.niovirt.libvirt.xml;

import org.immutables.value.Value;

/**
 * An interface type nio-virt never writes (e.g. {@code vhostuser}), kept by type only so that
 * reading any domain's XML back does not fail.
 */
@Value.Immutable(builder = false)
public non-sealed interface UnmodelledSourceXml extends InterfaceSourceXml {
  @Override
  @Value.Parameter
  String interfaceType();

  static UnmodelledSourceXml of(String interfaceType) {
    return ImmutableUnmodelledSourceXml.of(interfaceType);
  }
}
