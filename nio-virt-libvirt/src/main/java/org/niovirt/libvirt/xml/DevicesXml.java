package org.niovirt.libvirt.xml;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** {@code <devices>}, in the element order libvirt itself writes. */
@Value.Immutable
public interface DevicesXml {
  /** {@code <emulator>}; libvirt picks one from its capabilities when absent. */
  Optional<String> emulator();

  List<DiskXml> disks();

  List<InterfaceXml> interfaces();

  List<CharDeviceXml> serials();

  List<CharDeviceXml> consoles();

  List<HostdevXml> hostdevs();

  static ImmutableDevicesXml.Builder builder() {
    return ImmutableDevicesXml.builder();
  }
}
