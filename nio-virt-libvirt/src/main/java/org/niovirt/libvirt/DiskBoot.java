package org.niovirt.libvirt;

import java.nio.file.Path;
import org.immutables.value.Value;

/** Boot from a disk image attached as {@code vda} (virtio-blk). */
@Value.Immutable(builder = false)
public non-sealed interface DiskBoot extends BootSource {
  @Value.Parameter
  Path image();

  @Value.Parameter
  DiskFormat format();
}
