package org.niovirt.cli.dashboard;

import java.util.ArrayList;
import java.util.List;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.plan.NicAssignment;
import org.niovirt.cli.common.GuestOptions;
import org.niovirt.cli.common.GuestPlanning;
import org.niovirt.cli.common.LaunchValues;
import org.niovirt.libvirt.LaunchedGuest;
import org.niovirt.libvirt.LibvirtHost;

/**
 * Launch and stop from the dashboard, through the same options, planner and launch path as the
 * command line; the request arrives as typed values, never as a command line.
 */
public final class LibvirtGuestActions implements GuestActions {
  private final LibvirtHost host;
  private final LibvirtDashboardSource source;
  private final NetworkIoPlanner planner;

  public LibvirtGuestActions(LibvirtHost host, LibvirtDashboardSource source, NetworkIoPlanner planner) {
    this.host = host;
    this.source = source;
    this.planner = planner;
  }

  @Override
  public String launch(LaunchValues values) {
    GuestOptions guest = GuestOptions.of(values);
    DashboardSource.Observation now = source.observe();
    GuestPlanning planning =
        GuestPlanning.of(guest, source.connection(), host, now.inventory(), now.usage(), planner);
    LaunchedGuest launched = host.launch(planning.preview());
    source.forgetHardware();
    List<String> nics = new ArrayList<>();
    for (NicAssignment nic : launched.plan().assignments()) {
      nics.add(nic.technology().id() + (nic.devices().isEmpty() ? "" : " " + nic.devices()));
    }
    return "launched " + launched.name() + " (" + String.join(", ", nics) + "), "
        + host.state(launched.name()).name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }

  @Override
  public String stop(String name) {
    host.stop(name);
    return "asked " + name + " to shut down";
  }
}
