package org.niovirt.libvirt.xml;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * A libvirt node device ({@code virNodeDeviceGetXMLDesc}): a PCI function or a network
 * interface; other capabilities are not modelled.
 */
@Value.Immutable
public interface NodeDeviceXml {
  /** e.g. {@code pci_0000_01_00_0} or {@code net_eth3_52_54_00_12_34_03}. */
  String name();

  Optional<String> parent();

  /** The bound kernel driver ({@code <driver><name>}); libvirt's test driver drops it. */
  Optional<String> driver();

  Optional<PciCapabilityXml> pci();

  Optional<NetCapabilityXml> net();

  static ImmutableNodeDeviceXml.Builder builder() {
    return ImmutableNodeDeviceXml.builder();
  }
}
