package org.niovirt.api.request;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.immutables.value.Value;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.PciAddress;

/** What a guest asks for one kind of NIC: how many, and the constraints on them. */
@Value.Immutable
public interface NicRequest {
  @Value.Default
  default int count() {
    return 1;
  }

  /** Use exactly this technology, or fail: never a silent fallback. */
  Optional<Technology> pinned();

  /** Never use these. */
  Set<Technology> excluded();

  /** MACs for the NICs in order; NICs beyond the list get one from libvirt. */
  List<MacAddress> macs();

  /** 802.1Q VLAN id (1-4094), applied by the VF or the libvirt network. */
  OptionalInt vlan();

  /** Prefer devices on this NUMA node. */
  OptionalInt numaNode();

  /**
   * The guest must stay live-migratable: virtio, or a VF (else a function alone in its IOMMU group)
   * paired with a virtio standby (failover) when {@link #failover()} allows it.
   */
  @Value.Default
  default boolean liveMigration() {
    return false;
  }

  /**
   * With {@link #liveMigration()}: whether a VF or function with a virtio standby (virtio-net failover) may
   * serve this NIC. The guest needs the net_failover driver (Linux 4.18+, virtio-win 0.1.189+);
   * false for guests without it.
   */
  @Value.Default
  default boolean failover() {
    return true;
  }

  OptionalLong minBandwidthMbps();

  /** A host function to use (VT-d) or draw VFs from (SR-IOV). */
  Optional<PciAddress> hostDevice();

  @Value.Default
  default VirtioAttachment virtioAttachment() {
    return VirtioAttachment.network("default");
  }

  static ImmutableNicRequest.Builder builder() {
    return ImmutableNicRequest.builder();
  }

  static NicRequest of(int count) {
    return builder().count(count).build();
  }
}
