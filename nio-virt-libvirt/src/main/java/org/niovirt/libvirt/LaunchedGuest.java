package org.niovirt.libvirt;

import java.util.List;
import java.util.UUID;
import org.immutables.value.Value;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.libvirt.xml.DomainXml;
import org.niovirt.libvirt.xml.DomainXmlCodec;

/** A guest that {@link LibvirtHost#launch} defined and started. */
@Value.Immutable
public interface LaunchedGuest {
  String name();

  UUID uuid();

  GuestNetworkPlan plan();

  AcceleratorChoice accelerator();

  /** The domain given to libvirt, as a typed model. */
  DomainXml domain();

  /**
   * The XML given to libvirt, without the launch mark it carried until the start (libvirt's own
   * version: {@link LibvirtHost#xml(String)}). Written on first use.
   */
  @Value.Lazy
  default String domainXml() {
    return DomainXmlCodec.marshal(domain());
  }

  /** What was done to the host before the start. */
  List<HostChange> hostChanges();

  DomainState state();

  static ImmutableLaunchedGuest.Builder builder() {
    return ImmutableLaunchedGuest.builder();
  }
}
