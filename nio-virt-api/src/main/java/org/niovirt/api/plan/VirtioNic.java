package org.niovirt.api.plan;

import java.util.List;
import org.immutables.value.Value;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.request.Technology;
import org.niovirt.api.request.VirtioAttachment;

/** A paravirtual virtio-net NIC. */
@Value.Immutable
public non-sealed interface VirtioNic extends NicAssignment {
  VirtioAttachment attachment();

  /** virtio-net queue pairs (multiqueue); 1 disables multiqueue. */
  @Value.Default
  default int queues() {
    return 1;
  }

  /** Use the in-kernel vhost-net back end. */
  @Value.Default
  default boolean vhost() {
    return false;
  }

  @Override
  default Technology technology() {
    return Technology.VIRTIO;
  }

  @Override
  default List<PciAddress> devices() {
    return List.of();
  }

  static ImmutableVirtioNic.Builder builder() {
    return ImmutableVirtioNic.builder();
  }
}
