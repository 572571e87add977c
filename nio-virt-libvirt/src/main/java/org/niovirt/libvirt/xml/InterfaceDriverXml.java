package org.niovirt.libvirt.xml;

import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/** {@code <driver name='vhost' queues='4'/>} of a virtio interface. */
@Value.Immutable
public interface InterfaceDriverXml {
  /** {@code vhost} (in-kernel data path) or {@code qemu}. */
  Optional<String> name();

  /** Queue pairs (multiqueue); absent means one. */
  OptionalInt queues();

  static ImmutableInterfaceDriverXml.Builder builder() {
    return ImmutableInterfaceDriverXml.builder();
  }
}
