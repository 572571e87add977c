package org.niovirt.libvirt;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.immutables.value.Value;
import org.niovirt.api.model.PciAddress;
import org.niovirt.libvirt.xml.DomainXml;
import org.niovirt.libvirt.xml.RecordedPlan;

/** One defined or running domain as {@link LibvirtHost#list()} reports it. */
@Value.Immutable
public interface GuestSummary {
  String name();

  UUID uuid();

  DomainState state();

  /** False for a transient domain, which disappears when it stops. */
  boolean persistent();

  /** The domain's XML as {@link LibvirtHost#list()} read it, so callers need not read it again. */
  DomainXml domainXml();

  /** Host PCI functions it holds (hostdevs and VF interfaces). */
  @Value.Derived
  default List<PciAddress> hostDevices() {
    return domainXml().hostPciDevices();
  }

  /** Why each NIC is what it is, as recorded in the domain's metadata; empty when not recorded. */
  @Value.Derived
  default Optional<RecordedPlan> recordedPlan() {
    return domainXml().recordedPlan();
  }

  static ImmutableGuestSummary.Builder builder() {
    return ImmutableGuestSummary.builder();
  }
}
