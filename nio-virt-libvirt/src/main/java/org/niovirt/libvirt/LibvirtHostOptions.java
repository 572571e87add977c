package org.niovirt.libvirt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.immutables.value.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where {@link LibvirtHost} keeps its lock and journal, and how it touches the host. */
@Value.Immutable
public abstract class LibvirtHostOptions {
  /**
   * Root's lock: in a directory only root may create and write (not the world-writable
   * {@code /run/lock}, where any user could squat the file or plant a symlink).
   */
  public static final Path DEFAULT_LOCK_FILE = Path.of("/run/nio-virt/launch.lock");
  private static final Logger LOG = LoggerFactory.getLogger(LibvirtHostOptions.class);

  /**
   * The host-wide launch lock; every process launching on this host must use the same file. Its
   * directory is created {@code 0700} and must belong to this user (or root) and be writable by
   * nobody else. Default: {@code /run/nio-virt/launch.lock} ({@link #DEFAULT_LOCK_FILE}) for root, {@code launch.lock} in the state directory otherwise.
   */
  @Value.Default
  public Path lockFile() {
    return isRoot() ? DEFAULT_LOCK_FILE : stateDirectory().resolve("launch.lock");
  }

  /** How long a launch waits for another one to finish before it gives up, saying who holds the lock. */
  @Value.Default
  public Duration lockTimeout() {
    return Duration.ofMinutes(5);
  }

  /** Told once when a launch has to wait for the lock, naming the holder's PID; a warning by default. */
  @Value.Default
  public Consumer<String> lockWaitNotice() {
    return message -> LOG.warn("{}", message);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * Holds the launch journal. Default: {@code /var/lib/nio-virt} for root, otherwise
   * {@code ~/.local/state/nio-virt}.
   */
  @Value.Default
  public Path stateDirectory() {
    return isRoot()
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

  /**
   * Takes the host-wide lock some other way than {@code flock(2)} on {@link #lockFile} here: for a
   * host reached over SSH, on that host (nio-virt-remote). Absent: the local lock file.
   */
  public abstract Optional<LaunchLock> launchLock();

  /** Closed with the {@link LibvirtHost} (e.g. the SSH session a remote host's access runs on). */
  public abstract java.util.List<AutoCloseable> resources();

  /** Closes {@link #resources}, each even when another fails (logged). */
  void closeResources() {
    for (AutoCloseable resource : resources()) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("Could not close {}: {}", resource, e.toString());
      }
    }
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
