package org.niovirt.libvirt;

import java.util.List;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.HostAction;
import org.niovirt.libvirt.xml.DomainXml;
import org.niovirt.libvirt.xml.DomainXmlCodec;
import org.niovirt.libvirt.xml.ImmutableDomainXml;

/**
 * A launch as it will happen, computed without changing anything: the plan, the accelerator, the
 * domain XML libvirt will be given (byte for byte, apart from the "launch pending" mark the launch
 * adds while it runs) and the host actions done before the start. Immutable; the XML text is
 * written on first use (a launch writes only the marked text).
 */
public final class LaunchPreview {
  private final GuestSpec spec;
  private final GuestNetworkPlan plan;
  private final AcceleratorChoice accelerator;
  private final DomainXml domain;
  private volatile String domainXml;

  private LaunchPreview(GuestSpec spec, GuestNetworkPlan plan, AcceleratorChoice accelerator, DomainXml domain) {
    this.spec = spec;
    this.plan = plan;
    this.accelerator = accelerator;
    this.domain = domain;
  }

  static LaunchPreview of(GuestSpec spec, GuestNetworkPlan plan, boolean kvmKnownToWork) {
    AcceleratorChoice accelerator = AcceleratorChoice.resolve(spec.accelerator(), kvmKnownToWork);
    return new LaunchPreview(spec, plan, accelerator, DomainXmlWriter.toModel(spec, plan, accelerator));
  }

  public GuestSpec spec() {
    return spec;
  }

  public GuestNetworkPlan plan() {
    return plan;
  }

  public AcceleratorChoice accelerator() {
    return accelerator;
  }

  /** The domain as a typed model. */
  public DomainXml domain() {
    return domain;
  }

  /** The domain XML a launch defines (without its transient launch mark). */
  public String domainXml() {
    String xml = domainXml;
    if (xml == null) {
      xml = DomainXmlCodec.marshal(domain);
      domainXml = xml; // a benign race: every thread writes the same text
    }
    return xml;
  }

  /** What the host needs before the start (VFs, links), in order. */
  public List<HostAction> hostActions() {
    return plan.hostActions();
  }

  /** The XML the launch defines: this preview's, marked as launched by {@code launcherPid}. */
  String markedXml(long launcherPid) {
    return DomainXmlCodec.marshal(ImmutableDomainXml.copyOf(domain).withLaunchPendingBy(launcherPid));
  }
}
