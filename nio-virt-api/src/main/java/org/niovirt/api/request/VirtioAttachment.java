package org.niovirt.api.request;

/**
 * Where a virtio NIC plugs in on the host. Exactly one variant is chosen; the libvirt
 * {@code <interface type=...>} follows from which.
 */
public sealed interface VirtioAttachment
    permits NetworkAttachment, BridgeAttachment, DirectAttachment, UserAttachment {
  /** A libvirt virtual network, e.g. {@code default}. */
  static VirtioAttachment network(String name) {
    return ImmutableNetworkAttachment.of(name);
  }

  /** An existing Linux bridge. */
  static VirtioAttachment bridge(String name) {
    return ImmutableBridgeAttachment.of(name);
  }

  /** macvtap on a host NIC ({@code <interface type='direct'>}), mode bridge. */
  static VirtioAttachment direct(String hostInterface) {
    return ImmutableDirectAttachment.of(hostInterface);
  }

  /** QEMU user-mode networking: no host setup at all (unprivileged sessions, tests). */
  static VirtioAttachment user() {
    return ImmutableUserAttachment.of();
  }

  /** For messages: {@code network default}, {@code bridge br0}, {@code direct eth1}, {@code user}. */
  String describe();
}
