package org.niovirt.libvirt.xml;

import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/** {@code <capability type='net'>} of a node device: a kernel network interface. */
@Value.Immutable
public interface NetCapabilityXml {
  String interfaceName();

  Optional<String> mac();

  /** {@code <link state='up' speed='1000'/>}. */
  Optional<String> linkState();

  OptionalInt speedMbps();

  static ImmutableNetCapabilityXml.Builder builder() {
    return ImmutableNetCapabilityXml.builder();
  }
}
