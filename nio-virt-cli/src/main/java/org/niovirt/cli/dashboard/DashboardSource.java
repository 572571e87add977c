package org.niovirt.cli.dashboard;

import java.util.List;
import org.niovirt.cli.common.ConnectionInfo;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.DeviceUsage;

/**
 * What the dashboard shows, read fresh on every poll: the host, the device ledger and the guests.
 * {@link LibvirtDashboardSource} reads them from a libvirt connection.
 */
public interface DashboardSource {
  ConnectionInfo connection();

  /** One consistent look at the host and its guests. */
  Observation observe();

  /** The host's inventory, the devices held by defined domains, and those domains. */
  record Observation(HostInventory inventory, DeviceUsage usage, List<GuestView> guests) {
    public Observation {
      guests = List.copyOf(guests);
    }
  }
}
