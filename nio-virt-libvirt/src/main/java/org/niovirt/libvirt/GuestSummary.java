package org.niovirt.libvirt;

import java.util.List;
import java.util.UUID;
import org.immutables.value.Value;
import org.niovirt.api.model.PciAddress;

/** One defined or running domain as {@link LibvirtHost#list()} reports it. */
@Value.Immutable
public interface GuestSummary {
  String name();

  UUID uuid();

  DomainState state();

  /** False for a transient domain, which disappears when it stops. */
  boolean persistent();

  /** Host PCI functions it holds (hostdevs and VF interfaces). */
  List<PciAddress> hostDevices();

  static ImmutableGuestSummary.Builder builder() {
    return ImmutableGuestSummary.builder();
  }
}
