package org.niovirt.cli.common;

import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.libvirt.AcceleratorChoice;
import org.niovirt.libvirt.GuestSpec;
import org.niovirt.libvirt.LaunchPreview;
import org.niovirt.libvirt.LibvirtHost;

/**
 * Options to a launch preview, the part of a launch that changes nothing: {@code plan},
 * {@code launch --dry-run}, {@code launch} and the dashboard's launch action all go through here,
 * and {@code LibvirtHost.launch(preview)} then defines exactly the XML shown.
 */
public record GuestPlanning(GuestNetworkRequest request, LaunchPreview preview) {

  /**
   * Validates the options (errors name the option), plans against the devices {@code usage}
   * holds, and previews the launch on {@code host} (which resolves the accelerator).
   */
  public static GuestPlanning of(GuestOptions options, ConnectionInfo connection, LibvirtHost host,
      HostInventory inventory, DeviceUsage usage, NetworkIoPlanner planner) {
    GuestNetworkRequest request = options.networkRequest();
    GuestSpec spec = options.guestSpec(connection);
    GuestNetworkPlan plan = planner.plan(inventory, request, usage);
    return new GuestPlanning(request, host.preview(spec, plan));
  }

  public GuestSpec spec() {
    return preview.spec();
  }

  public GuestNetworkPlan plan() {
    return preview.plan();
  }

  public AcceleratorChoice accelerator() {
    return preview.accelerator();
  }

  public String domainXml() {
    return preview.domainXml();
  }
}
