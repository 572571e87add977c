package org.niovirt.cli.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.niovirt.api.error.NioVirtException;
import org.niovirt.api.fleet.FleetHost;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.detect.HostDetector;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.LibvirtHostOptions;
import org.niovirt.remote.RemoteInventory;
import org.niovirt.remote.SshDestination;

/**
 * Reads every host of a fleet file: its hardware from its {@code root} (offline), over SSH for an
 * SSH URI, else from this machine; the devices its defined domains hold from its libvirt URI. A
 * host that cannot be read becomes {@link FleetHost.Unreachable} with the reason, and the others
 * are still planned.
 */
public final class FleetHosts {
  private FleetHosts() {}

  /**
   * Every host's hardware and, when {@code withUsage}, its domains' devices; {@code step} shows
   * each host's read as a progress step (name, work).
   */
  public static List<FleetHost> read(FleetFile file, boolean withUsage,
      BiFunction<String, Supplier<FleetHost>, FleetHost> step) {
    List<FleetHost> hosts = new ArrayList<>();
    for (FleetFile.Entry entry : file.hosts()) {
      hosts.add(step.apply("Reading host " + entry.name() + " (" + where(entry) + ")",
          () -> read(entry, withUsage)));
    }
    return hosts;
  }

  static String where(FleetFile.Entry entry) {
    return entry.root().map(Object::toString).orElse("") + (entry.root().isPresent() && entry.uri().isPresent()
        ? ", " : "") + entry.uri().orElse("");
  }

  static FleetHost read(FleetFile.Entry entry, boolean withUsage) {
    try {
      HostInventory inventory = hardware(entry).get();
      DeviceUsage usage = DeviceUsage.empty();
      if (withUsage && entry.uri().isPresent()) {
        try (LibvirtHost host = LibvirtHost.connect(entry.uri().get(), LibvirtHostOptions.builder().build())) {
          usage = host.deviceUsage();
        }
      }
      return new FleetHost.Reachable(entry.name(), inventory, usage);
    } catch (NioVirtException | IllegalStateException e) {
      return new FleetHost.Unreachable(entry.name(), e.getMessage());
    }
  }

  /** Where a host's hardware is read: its root, over SSH for an SSH URI, else this machine. */
  public static Supplier<HostInventory> hardware(FleetFile.Entry entry) {
    if (entry.root().isPresent()) {
      return HostDetector.open(entry.root().get())::detect;
    }
    Optional<SshDestination> remote = entry.uri().flatMap(SshDestination::fromLibvirtUri);
    return remote.isPresent() ? () -> RemoteInventory.detect(remote.get()) : HostDetector.forThisHost()::detect;
  }
}
