package org.niovirt.api.request;

/**
 * How {@link RequestValidator} names each field of a request in its errors. The SDK names them by
 * their path ({@code nics[0].vlan}); a front end names them as its users typed them (a command
 * line's {@code --vlan}) by overriding the methods it has its own names for. One method per field,
 * so a renamed or new field is a compile error, never a silently unmapped string.
 */
public interface FieldNames {
  /** The SDK's own names: paths into {@link GuestNetworkRequest}. */
  FieldNames PATHS = new FieldNames() {};

  default String guestName() {
    return "guestName";
  }

  default String vcpus() {
    return "vcpus";
  }

  default String nics() {
    return "nics";
  }

  default String count(int nic) {
    return "nics[" + nic + "].count";
  }

  default String macs(int nic) {
    return "nics[" + nic + "].macs";
  }

  default String vlan(int nic) {
    return "nics[" + nic + "].vlan";
  }

  default String numaNode(int nic) {
    return "nics[" + nic + "].numaNode";
  }

  default String minBandwidthMbps(int nic) {
    return "nics[" + nic + "].minBandwidthMbps";
  }

  default String pinned(int nic) {
    return "nics[" + nic + "].pinned";
  }

  default String network(int nic) {
    return "nics[" + nic + "].virtioAttachment.network";
  }

  default String bridge(int nic) {
    return "nics[" + nic + "].virtioAttachment.bridge";
  }

  default String direct(int nic) {
    return "nics[" + nic + "].virtioAttachment.direct";
  }
}
