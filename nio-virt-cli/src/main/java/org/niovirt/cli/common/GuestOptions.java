package org.niovirt.cli.common;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.ImmutableNicRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.RequestValidator;
import org.niovirt.api.request.Technology;
import org.niovirt.api.request.VirtioAttachment;
import org.niovirt.libvirt.Accelerator;
import org.niovirt.libvirt.BootSource;
import org.niovirt.libvirt.GuestSpec;
import org.niovirt.libvirt.ImmutableGuestSpec;
import org.niovirt.libvirt.ImmutableKernelBoot;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The guest a user asks for, as command-line options. The dashboard's launch action parses the
 * same options, so both front ends accept the same values and give the same errors.
 *
 * <p>Values are kept as the user typed them and converted here, so that every error names the
 * option (not an internal field) and the value.
 */
public final class GuestOptions {
  public static final String DEFAULT_NAME = "nio-virt-guest";

  @Option(names = "--name", paramLabel = "NAME", defaultValue = DEFAULT_NAME,
      description = "Guest (libvirt domain) name. Default: ${DEFAULT-VALUE}.")
  String name;

  @Option(names = "--memory", paramLabel = "MIB", defaultValue = "512",
      description = "Guest memory in MiB. Default: ${DEFAULT-VALUE}.")
  int memoryMiB;

  @Option(names = "--vcpus", paramLabel = "N", defaultValue = "1",
      description = "Virtual CPUs (also the virtio-net queue count). Default: ${DEFAULT-VALUE}.")
  int vcpus;

  @ArgGroup(exclusive = true, multiplicity = "0..1",
      heading = "%nBoot from (default: the test guest that scripts/build-guest-image.sh builds):%n")
  BootOptions boot;

  @Option(names = "--disk-format", paramLabel = "qcow2|raw",
      description = "Format of --disk (default: read from the image's header).")
  String diskFormat;

  @Option(names = "--serial-log", paramLabel = "FILE",
      description = "Write the guest's serial console to FILE.")
  Path serialLog;

  @Option(names = "--force",
      description = "Accept a --disk, --kernel, --initrd or --serial-log under /etc, /proc, /sys,"
          + " /dev or /boot, and a block device as --disk.")
  boolean force;

  @Option(names = "--accel", paramLabel = "auto|kvm|qemu", defaultValue = "auto",
      description = "Accelerator: kvm, qemu (TCG) or auto (kvm only where it is known to work)."
          + " Default: ${DEFAULT-VALUE}.")
  String accelerator;

  @Option(names = "--nics", paramLabel = "N", defaultValue = "1",
      description = "Number of guest NICs. Default: ${DEFAULT-VALUE}.")
  int nics;

  @Option(names = "--pin", paramLabel = "TECH",
      description = "Use exactly this technology (sriov, vtd, virtio) or fail.")
  String pinned;

  @Option(names = "--exclude", paramLabel = "TECH", split = ",",
      description = "Never use these technologies (repeatable, or comma separated).")
  List<String> excluded = new ArrayList<>();

  @Option(names = "--mac", paramLabel = "MAC", split = ",",
      description = "MAC of each NIC in order (repeatable, or comma separated).")
  List<String> macs = new ArrayList<>();

  @Option(names = "--vlan", paramLabel = "ID", description = "802.1Q VLAN id, 1-4094.")
  Integer vlan;

  @Option(names = "--numa-node", paramLabel = "N", description = "Prefer host devices on this NUMA node.")
  Integer numaNode;

  @Option(names = "--min-bandwidth", paramLabel = "MBPS", description = "Minimum bandwidth in Mb/s.")
  Long minBandwidthMbps;

  @Option(names = "--live-migration",
      description = "The guest must stay live-migratable: virtio, or a VF (else a function alone in its"
          + " IOMMU group) paired with a virtio standby (virtio-net failover; the guest needs net_failover).")
  boolean liveMigration;

  @Option(names = "--no-failover",
      description = "With --live-migration: no VF/function + virtio failover pair (for guests without net_failover).")
  boolean noFailover;

  @Option(names = "--host-device", paramLabel = "PCI",
      description = "Host function to pass through (vtd) or to draw VFs from (sriov), e.g. 0000:01:00.0.")
  String hostDevice;

  @ArgGroup(exclusive = true, multiplicity = "0..1",
      heading = "%nWhere a virtio NIC plugs in (default: --network default):%n")
  AttachmentOptions attachment;

  /** Exactly one boot source. */
  static final class BootOptions {
    @Option(names = "--disk", paramLabel = "IMAGE", required = true,
        description = "Boot from a qcow2 or raw disk image.")
    Path disk;

    @ArgGroup(exclusive = false)
    KernelBootOptions kernel;
  }

  /** Direct kernel boot. */
  static final class KernelBootOptions {
    @Option(names = "--kernel", paramLabel = "FILE", required = true, description = "Kernel image.")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "Initial ramdisk.")
    Path initrd;

    @Option(names = "--cmdline", paramLabel = "TEXT", description = "Kernel command line.")
    String cmdline;
  }

  /** Exactly one virtio attachment. */
  static final class AttachmentOptions {
    @Option(names = "--network", paramLabel = "NAME", description = "A libvirt virtual network.")
    String network;

    @Option(names = "--bridge", paramLabel = "BR", description = "An existing Linux bridge.")
    String bridge;

    @Option(names = "--direct", paramLabel = "IF", description = "macvtap on a host interface.")
    String direct;

    @Option(names = "--user-net", description = "QEMU user-mode networking (no host setup).")
    boolean user;
  }

  /**
   * The options the dashboard's typed launch values stand for, with the launcher's defaults where
   * a value is null: the same validation and errors as the command line, without parsing a
   * command line.
   */
  public static GuestOptions of(LaunchValues values) {
    GuestOptions options = new GuestOptions();
    options.name = values.name() == null ? DEFAULT_NAME : values.name();
    options.memoryMiB = values.memoryMiB() == null ? 512 : values.memoryMiB();
    options.vcpus = values.vcpus() == null ? 1 : values.vcpus();
    options.accelerator = values.accel() == null ? "auto" : values.accel();
    options.nics = values.nics() == null ? 1 : values.nics();
    options.pinned = values.pin();
    options.excluded = values.exclude() == null ? new ArrayList<>() : new ArrayList<>(values.exclude());
    options.macs = values.macs() == null ? new ArrayList<>() : new ArrayList<>(values.macs());
    options.vlan = values.vlan();
    options.numaNode = values.numaNode();
    options.minBandwidthMbps = values.minBandwidthMbps();
    options.liveMigration = Boolean.TRUE.equals(values.liveMigration());
    options.hostDevice = values.hostDevice();
    options.diskFormat = values.diskFormat();
    options.boot = bootOf(values);
    options.attachment = attachmentOf(values);
    return options;
  }

  private static BootOptions bootOf(LaunchValues values) {
    if (values.disk() != null && (values.kernel() != null || values.initrd() != null)) {
      throw new InvalidInputException("--disk", values.disk(), "give a disk or a kernel, not both");
    }
    if (values.disk() == null && values.kernel() == null) {
      if (values.initrd() != null || values.cmdline() != null) {
        throw new InvalidInputException("--kernel", "(none)", "--initrd and --cmdline need --kernel");
      }
      return null;
    }
    BootOptions boot = new BootOptions();
    boot.disk = values.disk();
    if (values.kernel() != null) {
      boot.kernel = new KernelBootOptions();
      boot.kernel.kernel = values.kernel();
      boot.kernel.initrd = values.initrd();
      boot.kernel.cmdline = values.cmdline();
    }
    return boot;
  }

  private static AttachmentOptions attachmentOf(LaunchValues values) {
    long given = java.util.stream.Stream.of(values.network(), values.bridge(), values.direct(),
        Boolean.TRUE.equals(values.userNet()) ? "user" : null).filter(java.util.Objects::nonNull).count();
    if (given > 1) {
      throw new InvalidInputException("--network", values.network(),
          "give at most one of network, bridge, direct and user-net");
    }
    if (given == 0) {
      return null;
    }
    AttachmentOptions attachment = new AttachmentOptions();
    attachment.network = values.network();
    attachment.bridge = values.bridge();
    attachment.direct = values.direct();
    attachment.user = Boolean.TRUE.equals(values.userNet());
    return attachment;
  }

  public String name() {
    return name;
  }

  public int memoryMiB() {
    return memoryMiB;
  }

  public int vcpus() {
    return vcpus;
  }

  public Optional<Path> disk() {
    return Optional.ofNullable(boot).map(b -> b.disk);
  }

  public Optional<Path> kernel() {
    return kernelBoot().map(k -> k.kernel);
  }

  public Optional<Path> initrd() {
    return kernelBoot().map(k -> k.initrd);
  }

  public Optional<String> cmdline() {
    return kernelBoot().map(k -> k.cmdline);
  }

  public Optional<Path> serialLog() {
    return Optional.ofNullable(serialLog);
  }

  /** The {@code --accel} value as typed; the libvirt module parses it. */
  public String accelerator() {
    return accelerator;
  }

  private Optional<KernelBootOptions> kernelBoot() {
    return Optional.ofNullable(boot).map(b -> b.kernel);
  }

  /**
   * Everything but the network, validated; relative paths are taken from the current directory
   * (libvirtd does not share it). Without a boot source the project's test guest is used: built by
   * {@code scripts/build-guest-image.sh}, and not needed at all on the test driver, which boots
   * nothing.
   */
  public GuestSpec guestSpec(ConnectionInfo connection) {
    if (connection.local()) {
      // Files on this machine that libvirt will read, attach writable, or create as root.
      disk().ifPresent(path -> HostPaths.checkInput("--disk", path, force));
      kernel().ifPresent(path -> HostPaths.checkInput("--kernel", path, force));
      initrd().ifPresent(path -> HostPaths.checkInput("--initrd", path, force));
      serialLog().ifPresent(path -> HostPaths.checkOutput("--serial-log", path, force));
    }
    // The spec's own rules, checked here first so that errors name the options.
    GuestSpec.checkName(name, "--name");
    GuestSpec.checkMemory(memoryMiB, "--memory");
    GuestSpec.checkVcpus(vcpus, "--vcpus");
    cmdline().ifPresent(text -> GuestSpec.checkCmdline(text, "--cmdline"));
    ImmutableGuestSpec.Builder spec = GuestSpec.builder()
        .name(name)
        .memoryMiB(memoryMiB)
        .vcpus(vcpus)
        .accelerator(Accelerator.parse(accelerator, "--accel"))
        .boot(bootSource(connection));
    serialLog().ifPresent(log -> spec.serialLog(log.toAbsolutePath()));
    return spec.build();
  }

  private BootSource bootSource(ConnectionInfo connection) {
    Optional<Path> image = disk();
    if (image.isPresent()) {
      Path absolute = image.get().toAbsolutePath();
      return BootSource.disk(absolute, diskFormat == null ? DiskImages.formatOf(absolute)
          : DiskImages.parseFormat(diskFormat, "--disk-format"));
    }
    Optional<KernelBootOptions> kernelBoot = kernelBoot();
    if (kernelBoot.isPresent()) {
      KernelBootOptions given = kernelBoot.get();
      ImmutableKernelBoot.Builder boot = BootSource.kernel().kernel(given.kernel.toAbsolutePath());
      Optional.ofNullable(given.initrd).ifPresent(initrd -> boot.initrd(initrd.toAbsolutePath()));
      Optional.ofNullable(given.cmdline).ifPresent(boot::cmdline);
      return boot.build();
    }
    TestGuest guest = TestGuest.cached();
    if (!guest.built() && !connection.testDriver()) {
      throw new InvalidInputException("--disk", "(none)", "a real hypervisor needs a boot source:"
          + " give --disk IMAGE or --kernel FILE, or build the test guest with"
          + " scripts/build-guest-image.sh (it then boots " + guest.kernel() + ")");
    }
    return BootSource.kernel().kernel(guest.kernel()).initrd(guest.initrd()).build();
  }

  /**
   * The network side of the guest, validated: an invalid value fails here with an
   * {@link InvalidInputException} naming the option and the value.
   */
  public GuestNetworkRequest networkRequest() {
    ImmutableNicRequest.Builder nic = NicRequest.builder().count(nics);
    if (pinned != null) {
      nic.pinned(Technology.parse(pinned, "--pin"));
    }
    Set<Technology> excludedTechnologies = new LinkedHashSet<>();
    for (String technology : excluded) {
      excludedTechnologies.add(Technology.parse(technology, "--exclude"));
    }
    nic.excluded(excludedTechnologies);
    for (String mac : macs) {
      nic.addMac(MacAddress.parse(mac, "--mac"));
    }
    if (vlan != null) {
      nic.vlan(vlan);
    }
    if (numaNode != null) {
      nic.numaNode(numaNode);
    }
    if (minBandwidthMbps != null) {
      nic.minBandwidthMbps(minBandwidthMbps);
    }
    nic.liveMigration(liveMigration).failover(!noFailover);
    if (hostDevice != null) {
      nic.hostDevice(PciAddress.parse(hostDevice, "--host-device"));
    }
    nic.virtioAttachment(virtioAttachment());
    GuestNetworkRequest request = GuestNetworkRequest.builder()
        .guestName(name).vcpus(vcpus).addNic(nic.build()).build();
    return RequestValidator.validate(request, new OptionNames());
  }

  private VirtioAttachment virtioAttachment() {
    if (attachment == null || attachment.network != null) {
      return VirtioAttachment.network(attachment == null ? "default" : attachment.network);
    }
    if (attachment.bridge != null) {
      return VirtioAttachment.bridge(attachment.bridge);
    }
    if (attachment.direct != null) {
      return VirtioAttachment.direct(attachment.direct);
    }
    return VirtioAttachment.user();
  }
}
