package org.niovirt.libvirt;

import java.nio.file.Path;
import java.util.Optional;
import org.immutables.value.Value;

/** Direct kernel boot: QEMU loads the kernel and initrd itself, no boot loader or disk needed. */
@Value.Immutable
// BootSource.kernel() (the builder factory) shares the attribute's name; from() is not used here.
@SuppressWarnings("immutables:from")
public non-sealed interface KernelBoot extends BootSource {
  Path kernel();

  Optional<Path> initrd();

  /** The kernel command line, e.g. {@code console=ttyS0}. */
  @Value.Default
  default String cmdline() {
    return "console=ttyS0";
  }
}
