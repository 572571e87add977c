package org.niovirt.cli;

import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.cli.common.GuestOptions;
import org.niovirt.cli.common.GuestPlanning;
import org.niovirt.libvirt.LibvirtHost;

/**
 * The steps {@code plan} and {@code launch} share: validate the options, detect the hardware,
 * read from libvirt which devices defined domains hold, and plan against what is left.
 */
final class PlanningSession implements AutoCloseable {
  final HostInventory inventory;
  final LibvirtHost host;
  final DeviceUsage usage;
  final GuestPlanning planning;

  private PlanningSession(HostInventory inventory, LibvirtHost host, DeviceUsage usage,
      GuestPlanning planning) {
    this.inventory = inventory;
    this.host = host;
    this.usage = usage;
    this.planning = planning;
  }

  /** {@code launching}: the host may change, so a host reached over SSH is prepared there. */
  static PlanningSession open(HardwareOptions hardware, ConnectOptions connect,
      GuestOptions guest, Progress progress, boolean launching) {
    // Bad options fail before anything is read or connected.
    guest.networkRequest();
    guest.guestSpec(connect.connection());
    LibvirtHost host = launching ? connect.connectToChange(progress) : connect.connect(progress);
    try {
      HostInventory inventory = hardware.detect(progress, host, connect);
      DeviceUsage usage = progress.step("Reading the devices that defined domains hold",
          host::deviceUsage);
      NetworkIoPlanner planner = NetworkIoPlanner.create();
      GuestPlanning planning = progress.step("Planning " + guest.name(),
          () -> GuestPlanning.of(guest, connect.connection(), host, inventory, usage, planner));
      return new PlanningSession(inventory, host, usage, planning);
    } catch (RuntimeException e) {
      host.close();
      throw e;
    }
  }

  @Override
  public void close() {
    host.close();
  }
}
