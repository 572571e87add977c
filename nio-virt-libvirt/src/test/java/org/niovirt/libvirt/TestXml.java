package org.niovirt.libvirt;

import org.niovirt.api.plan.GuestNetworkPlan;

/** Domain XML for tests, with the accelerator resolved as on these machines (KVM not known to work). */
final class TestXml {
  private TestXml() {}

  static String write(GuestSpec spec, GuestNetworkPlan plan) {
    return DomainXmlWriter.write(spec, plan, AcceleratorChoice.resolve(spec.accelerator(), false));
  }

  static String write(GuestSpec spec, GuestNetworkPlan plan, AcceleratorChoice accelerator) {
    return DomainXmlWriter.write(spec, plan, accelerator);
  }
}
