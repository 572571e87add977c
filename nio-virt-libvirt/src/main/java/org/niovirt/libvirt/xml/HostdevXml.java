package org.niovirt.libvirt.xml;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * {@code <hostdev mode='subsystem' type='pci' managed='yes'>}: a whole PCI function given to the
 * guest (VT-d). Other hostdev kinds (USB, SCSI) are not modelled.
 */
@Value.Immutable
public interface HostdevXml {
  PciAddressXml source();

  @Value.Default
  default boolean managed() {
    return true;
  }

  /** {@code <teaming type='transient' persistent='ALIAS'/>}: the primary of a failover pair. */
  Optional<TeamingXml> teaming();

  static HostdevXml managedPci(PciAddressXml source) {
    return ImmutableHostdevXml.builder().source(source).build();
  }

  static ImmutableHostdevXml.Builder builder() {
    return ImmutableHostdevXml.builder();
  }
}
