package org.niovirt.libvirt.xml;

import org.immutables.value.Value;

/** {@code <interface type='user'>}: QEMU's user-mode network, no source element. */
@Value.Immutable(builder = false, singleton = true)
public non-sealed interface UserSourceXml extends InterfaceSourceXml {
  @Override
  default String interfaceType() {
    return "user";
  }

  static UserSourceXml of() {
    return ImmutableUserSourceXml.of();
  }
}
