package org.niovirt.libvirt.xml;

import org.immutables.value.Value;

/**
 * {@code <disk type='file' device='disk'>} with a {@code qemu} driver of the given format,
 * {@code <source file=.../>} and {@code <target dev=... bus=.../>}.
 */
@Value.Immutable
public interface DiskXml {
  /** {@code qcow2} or {@code raw}. */
  String format();

  String sourceFile();

  /** {@code vda}. */
  String targetDevice();

  /** {@code virtio}, {@code sata}, ... */
  String targetBus();

  static ImmutableDiskXml.Builder builder() {
    return ImmutableDiskXml.builder();
  }
}
