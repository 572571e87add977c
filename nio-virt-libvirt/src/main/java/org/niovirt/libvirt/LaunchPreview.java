package org.niovirt.libvirt;

import java.util.List;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.HostAction;

/**
 * A launch as it will happen, computed without changing anything: the plan, the accelerator, the
 * domain XML libvirt will be given (byte for byte) and the host actions done before the start.
 */
public record LaunchPreview(GuestSpec spec, GuestNetworkPlan plan, AcceleratorChoice accelerator,
    String domainXml) {

  static LaunchPreview of(GuestSpec spec, GuestNetworkPlan plan, boolean kvmKnownToWork) {
    AcceleratorChoice accelerator = AcceleratorChoice.resolve(spec.accelerator(), kvmKnownToWork);
    return new LaunchPreview(spec, plan, accelerator, DomainXmlWriter.write(spec, plan, accelerator));
  }

  /** What the host needs before the start (VFs, links), in order. */
  public List<HostAction> hostActions() {
    return plan.hostActions();
  }
}
