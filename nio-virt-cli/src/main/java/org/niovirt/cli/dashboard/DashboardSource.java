package org.niovirt.cli.dashboard;

import java.util.List;
import org.niovirt.cli.common.ConnectionInfo;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.DeviceUsage;

/**
 * What the dashboard shows: the host, the device ledger and the guests. {@link
 * LibvirtDashboardSource} reads them from a libvirt connection and says when they change.
 */
public interface DashboardSource {
  ConnectionInfo connection();

  /**
   * One consistent look at the host and its guests. The same {@link Observation} instance when
   * nothing changed since the last look, so a caller can skip redrawing.
   */
  Observation observe();

  /**
   * Calls {@code listener} (quickly, from any thread) when what {@link #observe()} shows may have
   * changed. A source without change notices keeps this no-op default and is only looked at
   * periodically. Close the result to stop.
   */
  default AutoCloseable onChange(Runnable listener) {
    return () -> { };
  }

  /** The host's inventory, the devices held by defined domains, and those domains. */
  record Observation(HostInventory inventory, DeviceUsage usage, List<GuestView> guests) {
    public Observation {
      guests = List.copyOf(guests);
    }
  }
}
