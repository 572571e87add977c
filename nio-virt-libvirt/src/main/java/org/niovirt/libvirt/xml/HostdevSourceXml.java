package org.niovirt.libvirt.xml;

import org.immutables.value.Value;

/**
 * {@code <interface type='hostdev' managed='yes'><source><address type='pci' .../></source>}: an
 * SR-IOV VF whose MAC and VLAN libvirt programs through the PF.
 */
@Value.Immutable(builder = false)
public non-sealed interface HostdevSourceXml extends InterfaceSourceXml {
  @Value.Parameter
  PciAddressXml address();

  /** libvirt binds vfio-pci before start and gives the device back to the host on stop. */
  @Value.Parameter
  boolean managed();

  @Override
  default String interfaceType() {
    return "hostdev";
  }

  static HostdevSourceXml of(PciAddressXml address, boolean managed) {
    return ImmutableHostdevSourceXml.of(address, managed);
  }
}
