package org.niovirt.libvirt.xml;

import org.immutables.value.Value;
import org.niovirt.api.model.PciAddress;

/** {@code <address domain='0x0000' bus='0x01' slot='0x10' function='0x0'/>}. */
@Value.Immutable(builder = false)
public interface PciAddressXml {
  @Value.Parameter
  PciAddress address();

  static PciAddressXml of(PciAddress address) {
    return ImmutablePciAddressXml.of(address);
  }
}
