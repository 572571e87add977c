package org.niovirt.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.error.NioVirtException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.cli.dashboard.DashboardMetrics;
import org.niovirt.cli.dashboard.DashboardServer;
import org.niovirt.cli.dashboard.LibvirtDashboardSource;
import org.niovirt.cli.dashboard.LibvirtGuestActions;
import org.niovirt.cli.fleet.FleetFile;
import org.niovirt.cli.fleet.FleetHosts;
import org.niovirt.libvirt.LibvirtHost;

/**
 * The hosts of a fleet's dashboard: each host with a libvirt URI, connected and with its hardware
 * reader (its root, over SSH for an SSH URI, else this machine), live like a single host's. A host
 * that cannot be reached is left out with a warning; a fleet with none reachable is an error.
 */
final class FleetDashboardHosts implements AutoCloseable {
  private final List<DashboardServer.Host> hosts = new ArrayList<>();
  private final List<LibvirtHost> connections = new ArrayList<>();

  static FleetDashboardHosts open(FleetFile fleet, boolean actions, Duration hardwareRefresh,
      Progress progress, PrintStream warnings, DashboardMetrics metrics) {
    FleetDashboardHosts opened = new FleetDashboardHosts();
    for (FleetFile.Entry entry : fleet.hosts()) {
      if (entry.uri().isEmpty()) {
        warnings.println("nio-virt: warning: host " + entry.name() + " has no uri (planned offline only);"
            + " it is not on the dashboard");
        continue;
      }
      LibvirtHost connection = null;
      try {
        connection = ConnectOptions.open(entry.uri().get(), progress, actions);
        Supplier<HostInventory> hardware = metrics.timedDetection(entry.name(), FleetHosts.hardware(entry));
        LibvirtHost host = connection;
        progress.step("Detecting the network cards of " + entry.name(), hardware::get);
        LibvirtDashboardSource source = new LibvirtDashboardSource(host, hardware, hardwareRefresh);
        opened.hosts.add(new DashboardServer.Host(entry.name(), source,
            actions ? new LibvirtGuestActions(host, source, NetworkIoPlanner.create()) : null));
        opened.connections.add(connection);
      } catch (NioVirtException e) {
        if (connection != null) {
          connection.close();
        }
        warnings.println("nio-virt: warning: host " + entry.name() + " is not on the dashboard: " + e.getMessage());
      }
    }
    if (opened.hosts.isEmpty()) {
      throw new InvalidInputException("--fleet", fleet.path(), "no host of the fleet could be reached"
          + " through its uri (see the warnings)");
    }
    return opened;
  }

  List<DashboardServer.Host> hosts() {
    return hosts;
  }

  @Override
  public void close() {
    connections.forEach(LibvirtHost::close);
  }
}
