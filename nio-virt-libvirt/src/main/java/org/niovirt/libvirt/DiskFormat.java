package org.niovirt.libvirt;

import java.util.Locale;

/** The format of a boot disk image, as QEMU's block driver names it. */
public enum DiskFormat {
  QCOW2, RAW;

  public String driverType() {
    return name().toLowerCase(Locale.ROOT);
  }
}
