package org.niovirt.libvirt;

import java.util.List;
import java.util.UUID;
import org.immutables.value.Value;
import org.niovirt.api.plan.GuestNetworkPlan;

/** A guest that {@link LibvirtHost#launch} defined and started. */
@Value.Immutable
public interface LaunchedGuest {
  String name();

  UUID uuid();

  GuestNetworkPlan plan();

  AcceleratorChoice accelerator();

  /** The XML given to libvirt (libvirt's own version: {@link LibvirtHost#xml(String)}). */
  String domainXml();

  /** What was done to the host before the start. */
  List<HostChange> hostChanges();

  DomainState state();

  static ImmutableLaunchedGuest.Builder builder() {
    return ImmutableLaunchedGuest.builder();
  }
}
