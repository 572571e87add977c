package org.niovirt.cli;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.Tristate;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.detect.HostDetector;
import org.niovirt.cli.common.InputErrors;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.NodeDeviceInventory;
import org.niovirt.libvirt.NodeDeviceInventoryOptions;
import org.niovirt.libvirt.SampleHost;
import org.niovirt.remote.RemoteInventory;
import org.niovirt.remote.SshDestination;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Whose hardware to plan for: this host's /sys and /proc (default), the remote host's over SSH
 * when {@code --connect} reaches it over SSH ({@code qemu+ssh://...}), a captured tree or snapshot
 * ({@code --root}), or the node devices of the libvirt connection ({@code --node-devices}), which
 * is how a test-driver node file describes a made-up host.
 */
final class HardwareOptions {
  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Source source;

  static final class Source {
    @Option(names = "--root", paramLabel = "DIR|TAR.GZ",
        description = "Read the hardware from a captured tree or a snapshot (nio-virt snapshot) "
            + "instead of this host's /sys and /proc.")
    Path root;

    @ArgGroup(exclusive = false, heading = "%nHardware from libvirt's node devices:%n")
    NodeDevices nodeDevices;
  }

  /** Node devices do not say everything: these host facts come from the user. */
  static final class NodeDevices {
    @Option(names = "--node-devices", required = true,
        description = "Read the hardware from the node devices of --connect, e.g. a test driver "
            + "node file (test:///abs/path/node.xml) describing PFs and VFs.")
    boolean enabled;

    @Option(names = "--management-interface", paramLabel = "IF", split = ",",
        description = "With --node-devices: interfaces that carry the default route (never given "
            + "away).")
    Set<String> managementInterfaces = new LinkedHashSet<>();

    @Option(names = "--interrupt-remapping", paramLabel = "yes|no|unknown", defaultValue = "unknown",
        description = "With --node-devices: whether the host has interrupt remapping. Default: "
            + "${DEFAULT-VALUE}.")
    String interruptRemapping;
  }

  /** Whether the hardware comes from libvirt rather than sysfs. */
  boolean fromLibvirt(ConnectOptions connect) {
    return connect.sampleHost || (source != null && source.nodeDevices != null);
  }

  /** Where the hardware is read from, for messages. */
  String describe(ConnectOptions connect) {
    if (connect.sampleHost) {
      return "the sample host";
    }
    if (fromLibvirt(connect)) {
      return "the node devices of " + connect.uri();
    }
    if (source == null || source.root == null) {
      return SshDestination.fromLibvirtUri(connect.uri()).map(SshDestination::describe).orElse("this host");
    }
    return source.root.toString();
  }

  /** A reader of the hardware, checked now so that a bad --root fails before anything starts. */
  Supplier<HostInventory> reader(LibvirtHost host, ConnectOptions connect) {
    if (connect.sampleHost) {
      if (source != null) {
        String other = source.root != null ? "--root" : "--node-devices";
        throw new InvalidInputException("--sample-host", "with " + other,
            "the sample host brings its own hardware; give one of them");
      }
      return () -> NodeDeviceInventory.read(host, SampleHost.inventoryOptions());
    }
    if (fromLibvirt(connect)) {
      NodeDeviceInventoryOptions facts = NodeDeviceInventoryOptions.builder()
          .managementInterfaces(source.nodeDevices.managementInterfaces)
          .interruptRemapping(tristate(source.nodeDevices.interruptRemapping))
          .build();
      return () -> NodeDeviceInventory.read(host, facts);
    }
    boolean thisHost = source == null || source.root == null;
    Optional<SshDestination> remote = thisHost && !connect.sampleHost
        ? SshDestination.fromLibvirtUri(connect.uri()) : Optional.empty();
    if (remote.isPresent()) {
      // The guests go to that host: its hardware, read over SSH, not this machine's.
      return () -> RemoteInventory.detect(remote.get());
    }
    HostDetector detector;
    try {
      detector = thisHost ? HostDetector.forThisHost() : HostDetector.open(source.root);
    } catch (InvalidInputException e) {
      throw InputErrors.relabel(e, Map.of("root", "--root", "snapshot", "--root"));
    }
    return detector::detect;
  }

  /** A host's hardware and the devices its defined domains hold, read together. */
  record HostFacts(HostInventory inventory, DeviceUsage usage) {}

  /** Connects, reads the hardware and the domains' devices, disconnects. */
  HostFacts readWithUsage(Progress progress, ConnectOptions connect) {
    try (LibvirtHost host = connect.connect(progress)) {
      HostInventory inventory = detect(progress, host, connect);
      return new HostFacts(inventory,
          progress.step("Reading the devices that defined domains hold", host::deviceUsage));
    }
  }

  /** {@code host} may be null unless {@link #fromLibvirt} is true. */
  HostInventory detect(Progress progress, LibvirtHost host, ConnectOptions connect) {
    Supplier<HostInventory> reader = reader(host, connect);
    return progress.step("Detecting the network cards of " + describe(connect), reader::get);
  }

  private static Tristate tristate(String text) {
    switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "yes":
        return Tristate.YES;
      case "no":
        return Tristate.NO;
      case "unknown":
        return Tristate.UNKNOWN;
      default:
        throw new InvalidInputException("--interrupt-remapping", text, "expected yes, no or unknown");
    }
  }
}
