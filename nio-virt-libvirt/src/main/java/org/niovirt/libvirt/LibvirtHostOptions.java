package org.niovirt.libvirt;

import java.nio.file.Path;
import java.util.Optional;
import org.immutables.value.Value;

/** Where {@link LibvirtHost} keeps its lock and journal, and how it touches the host. */
@Value.Immutable
public abstract class LibvirtHostOptions {
  public static final Path DEFAULT_LOCK_FILE = Path.of("/run/lock/nio-virt.lock");

  /** The host-wide launch lock; every process launching on this host must use the same file. */
  @Value.Default
  public Path lockFile() {
    return DEFAULT_LOCK_FILE;
  }

  /**
   * Holds the launch journal. Default: {@code /var/lib/nio-virt} for root, otherwise
   * {@code ~/.local/state/nio-virt}.
   */
  @Value.Default
  public Path stateDirectory() {
    return "root".equals(System.getProperty("user.name"))
        ? Path.of("/var/lib/nio-virt")
        : Path.of(System.getProperty("user.home"), ".local", "state", "nio-virt");
  }

  /**
   * The folder holding the {@code sys/} tree that host preparation writes to. Absent means
   * {@code /} for a real hypervisor, and no host preparation at all for libvirt's test driver:
   * its node devices are made up, so writing the real sysfs for them would be wrong.
   */
  public abstract Optional<Path> hostRoot();

  /** Brings PF links up; {@code ip link} by default. */
  @Value.Default
  public LinkControl linkControl() {
    return new IpLinkControl();
  }

  /** Whether {@link Accelerator#AUTO} may choose KVM; see {@link AcceleratorChoice}. */
  @Value.Default
  public boolean kvmKnownToWork() {
    return AcceleratorChoice.kvmKnownToWorkFromEnvironment();
  }

  /** Told of each step of every launch (progress display, tests). */
  @Value.Default
  public LaunchListener launchListener() {
    return (guest, phase) -> { };
  }

  public static LibvirtHostOptions defaults() {
    return builder().build();
  }

  public static ImmutableLibvirtHostOptions.Builder builder() {
    return ImmutableLibvirtHostOptions.builder();
  }
}
