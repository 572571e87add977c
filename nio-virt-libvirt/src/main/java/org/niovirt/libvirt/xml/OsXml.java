package org.niovirt.libvirt.xml;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** {@code <os>}: machine, direct kernel boot, and boot device order. */
@Value.Immutable
public interface OsXml {
  @Value.Default
  default String type() {
    return "hvm";
  }

  Optional<String> arch();

  /** {@code q35}, {@code pc}, or a versioned machine type. */
  Optional<String> machine();

  Optional<String> kernel();

  Optional<String> initrd();

  Optional<String> cmdline();

  /** {@code <boot dev='hd'/>} entries, in order. */
  List<String> bootDevices();

  static ImmutableOsXml.Builder builder() {
    return ImmutableOsXml.builder();
  }
}
