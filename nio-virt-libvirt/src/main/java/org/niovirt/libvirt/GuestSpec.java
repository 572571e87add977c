package org.niovirt.libvirt;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.immutables.value.Value;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.request.RequestValidator;

/**
 * Everything about a guest except its network: name, identity, size, what it boots, where its
 * console goes, and the accelerator. Validated when built; errors name the field and the value.
 *
 * <pre>{@code
 * GuestSpec spec = GuestSpec.builder().name("web1").memoryMiB(512).vcpus(2)
 *     .boot(BootSource.disk(Path.of("/var/lib/libvirt/images/web1.qcow2"), DiskFormat.QCOW2))
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class GuestSpec {
  /** The same rule as guest names in network requests: safe for libvirt, file names and shells. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}");
  public static final int MIN_MEMORY_MIB = 16;
  /** 16 TiB: far above any host here, low enough to catch a unit mix-up (KiB given as MiB). */
  public static final long MAX_MEMORY_MIB = 16L * 1024 * 1024;
  /** Linux's COMMAND_LINE_SIZE on x86. */
  public static final int MAX_CMDLINE_LENGTH = 2048;

  public abstract String name();

  /** Generated at build time when not given, so the spec has a stable identity from the start. */
  @Value.Default
  public UUID uuid() {
    return UUID.randomUUID();
  }

  public abstract long memoryMiB();

  @Value.Default
  public int vcpus() {
    return 1;
  }

  public abstract BootSource boot();

  /** A file receiving the guest's serial console; when absent the console is a pty. */
  public abstract Optional<Path> serialLog();

  @Value.Default
  public Accelerator accelerator() {
    return Accelerator.AUTO;
  }

  /** QEMU machine type; q35 gives PCIe root ports, which passthrough and VFs want. */
  @Value.Default
  public String machine() {
    return "q35";
  }

  @Value.Check
  protected void check() {
    checkName(name(), "name");
    checkMemory(memoryMiB(), "memoryMiB");
    checkVcpus(vcpus(), "vcpus");
    if (!machine().matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new InvalidInputException("machine", machine(), "a QEMU machine type such as q35 or pc");
    }
    serialLog().ifPresent(path -> requireAbsolute("serialLog", path));
    if (boot() instanceof DiskBoot disk) {
      requireAbsolute("boot.image", disk.image());
    } else if (boot() instanceof KernelBoot kernel) {
      requireAbsolute("boot.kernel", kernel.kernel());
      kernel.initrd().ifPresent(initrd -> requireAbsolute("boot.initrd", initrd));
      checkCmdline(kernel.cmdline(), "boot.cmdline");
    }
  }

  /**
   * The rules of {@link #name()}, for a front end that checks its own option ({@code field}) before
   * building a spec, so errors name what its user typed.
   */
  public static void checkName(String name, String field) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidInputException(field, name,
          "1-64 characters of letters, digits, '_', '.', '+', '-', starting with a letter or digit");
    }
  }

  /** The rules of {@link #memoryMiB()}. */
  public static void checkMemory(long memoryMiB, String field) {
    if (memoryMiB < MIN_MEMORY_MIB || memoryMiB > MAX_MEMORY_MIB) {
      throw new InvalidInputException(field, memoryMiB,
          "must be " + MIN_MEMORY_MIB + " to " + MAX_MEMORY_MIB + " MiB");
    }
  }

  /** The rules of {@link #vcpus()}. */
  public static void checkVcpus(int vcpus, String field) {
    if (vcpus < 1 || vcpus > RequestValidator.MAX_VCPUS) {
      throw new InvalidInputException(field, vcpus, "must be 1 to " + RequestValidator.MAX_VCPUS);
    }
  }

  /** The rules of a kernel command line. */
  public static void checkCmdline(String cmdline, String field) {
    if (cmdline.length() > MAX_CMDLINE_LENGTH) {
      throw new InvalidInputException(field, cmdline.substring(0, 40) + "...",
          "at most " + MAX_CMDLINE_LENGTH + " characters (x86 COMMAND_LINE_SIZE)");
    }
  }

  /** libvirt resolves relative paths against its own working directory, not the caller's. */
  private static void requireAbsolute(String field, Path path) {
    if (!path.isAbsolute()) {
      throw new InvalidInputException(field, path, "must be an absolute path (libvirtd does not share our working directory)");
    }
  }

  public static ImmutableGuestSpec.Builder builder() {
    return ImmutableGuestSpec.builder();
  }
}
