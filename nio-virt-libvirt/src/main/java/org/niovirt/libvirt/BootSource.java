package org.niovirt.libvirt;

/** What the guest boots: a disk image, or a kernel and initrd given directly to QEMU. */
public sealed interface BootSource permits DiskBoot, KernelBoot {
  static DiskBoot disk(java.nio.file.Path image, DiskFormat format) {
    return ImmutableDiskBoot.of(image, format);
  }

  static ImmutableKernelBoot.Builder kernel() {
    return ImmutableKernelBoot.builder();
  }
}
