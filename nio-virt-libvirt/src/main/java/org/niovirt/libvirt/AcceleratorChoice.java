package org.niovirt.libvirt;

import java.nio.file.Files;
import java.nio.file.Path;
import org.immutables.value.Value;

/**
 * The accelerator a guest really gets, and why. {@code AUTO} becomes KVM only when the host is
 * declared to run KVM guests well: on some hosts {@code /dev/kvm} exists and libvirt lists
 * {@code kvm}, yet guests hang in early boot, so presence proves nothing. The declaration is
 * {@link LibvirtHostOptions#kvmKnownToWork()} (default: the environment variable
 * {@value #KVM_KNOWN_TO_WORK_ENV} set to {@code 1} or {@code true}).
 */
@Value.Immutable(builder = false)
public interface AcceleratorChoice {
  String KVM_KNOWN_TO_WORK_ENV = "NIOVIRT_KVM_KNOWN_TO_WORK";

  @Value.Parameter
  Accelerator requested();

  /** {@link Accelerator#KVM} or {@link Accelerator#QEMU}, never AUTO. */
  @Value.Parameter
  Accelerator chosen();

  @Value.Parameter
  String reason();

  /** Resolves {@code requested}; an explicit KVM or QEMU is always kept as it is. */
  static AcceleratorChoice resolve(Accelerator requested, boolean kvmKnownToWork) {
    switch (requested) {
      case KVM:
        return ImmutableAcceleratorChoice.of(requested, Accelerator.KVM, "requested explicitly");
      case QEMU:
        return ImmutableAcceleratorChoice.of(requested, Accelerator.QEMU, "requested explicitly");
      default:
        if (kvmKnownToWork) {
          return ImmutableAcceleratorChoice.of(requested, Accelerator.KVM,
              "auto: the host is declared to run KVM guests (" + KVM_KNOWN_TO_WORK_ENV + ")");
        }
        String devKvm = Files.exists(Path.of("/dev/kvm")) ? "/dev/kvm exists but" : "no /dev/kvm, and";
        return ImmutableAcceleratorChoice.of(requested, Accelerator.QEMU,
            "auto: " + devKvm + " KVM is not known to work on this host; using TCG. Set "
                + KVM_KNOWN_TO_WORK_ENV + "=1 (or the option kvmKnownToWork) or request kvm to use it");
    }
  }

  /** The environment's declaration: {@value #KVM_KNOWN_TO_WORK_ENV} is {@code 1} or {@code true}. */
  static boolean kvmKnownToWorkFromEnvironment() {
    String value = System.getenv(KVM_KNOWN_TO_WORK_ENV);
    return "1".equals(value) || "true".equalsIgnoreCase(value);
  }
}
