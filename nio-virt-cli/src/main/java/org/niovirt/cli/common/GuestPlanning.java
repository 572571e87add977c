package org.niovirt.cli.common;

import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.libvirt.AcceleratorChoice;
import org.niovirt.libvirt.DomainXmlWriter;
import org.niovirt.libvirt.GuestSpec;

/**
 * Options to plan to domain XML, the part of a launch that changes nothing: {@code plan},
 * {@code launch --dry-run}, {@code launch} and the dashboard's launch action all go through here,
 * and {@code LibvirtHost.launch(spec, plan)} then checks the plan's devices are still free.
 */
public record GuestPlanning(GuestSpec spec, GuestNetworkRequest request, GuestNetworkPlan plan,
    AcceleratorChoice accelerator, String domainXml) {

  /**
   * Validates the options (errors name the option), plans against the devices {@code usage}
   * holds, and writes the XML with the accelerator {@code AUTO} resolves to here.
   */
  public static GuestPlanning of(GuestOptions options, ConnectionInfo connection,
      HostInventory inventory, DeviceUsage usage, NetworkIoPlanner planner) {
    GuestNetworkRequest request = options.networkRequest();
    GuestSpec spec = options.guestSpec(connection);
    GuestNetworkPlan plan = planner.plan(inventory, request, usage);
    AcceleratorChoice accelerator = AcceleratorChoice.resolve(
        spec.accelerator(), AcceleratorChoice.kvmKnownToWorkFromEnvironment());
    return new GuestPlanning(spec, request, plan, accelerator,
        DomainXmlWriter.write(spec, plan, accelerator));
  }
}
