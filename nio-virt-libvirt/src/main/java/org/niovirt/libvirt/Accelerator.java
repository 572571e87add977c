package org.niovirt.libvirt;

import java.util.Locale;
import org.niovirt.api.error.InvalidInputException;

/** How QEMU runs the guest: the libvirt {@code <domain type=...>}. */
public enum Accelerator {
  /** KVM where it is known to work on this host, otherwise QEMU; see {@link AcceleratorChoice}. */
  AUTO,
  /** Hardware virtualization ({@code type='kvm'}). */
  KVM,
  /** QEMU's TCG emulator ({@code type='qemu'}): slow, but works everywhere. */
  QEMU;

  /** The libvirt domain type of a concrete accelerator. */
  public String domainType() {
    if (this == AUTO) {
      throw new IllegalStateException("AUTO has no domain type: resolve it with AcceleratorChoice first");
    }
    return name().toLowerCase(Locale.ROOT);
  }

  public static Accelerator parse(String text, String field) {
    for (Accelerator accelerator : values()) {
      if (accelerator.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return accelerator;
      }
    }
    throw new InvalidInputException(field, text, "expected auto, kvm or qemu");
  }
}
