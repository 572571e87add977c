package org.niovirt.api.request;

import java.util.List;
import org.immutables.value.Value;

/** The host owner's rules for choosing: technology order and what risks are acceptable. */
@Value.Immutable
public abstract class PlannerPolicy {
  /** Preference order, best first; technologies left out are never chosen. */
  @Value.Default
  public List<Technology> order() {
    return List.of(Technology.SRIOV, Technology.VTD, Technology.VIRTIO);
  }

  /**
   * Accept device assignment without interrupt remapping. Off by default: without remapping a
   * guest can forge interrupts (MSI) to the host.
   */
  @Value.Default
  public boolean allowUnsafeInterrupts() {
    return false;
  }

  /**
   * Pair a VF with a virtio standby (virtio-net failover) for NICs that must live-migrate. On by
   * default; off for hosts whose guests lack the net_failover driver.
   */
  @Value.Default
  public boolean failover() {
    return true;
  }

  /**
   * Let VT-d give a guest the other network functions of the chosen function's IOMMU group too (the
   * ports of a multi-port card without ACS share one group and can only be assigned together). Off:
   * such a function is refused instead, and the reason names the functions it shares the group with.
   */
  @Value.Default
  public boolean takeWholeIommuGroups() {
    return true;
  }

  /** Upper bound of virtio-net queue pairs, whatever the vCPU count. */
  @Value.Default
  public int maxVirtioQueues() {
    return 8;
  }

  @Value.Check
  protected void check() {
    if (order().stream().distinct().count() != order().size()) {
      throw new IllegalArgumentException("policy order names a technology twice: " + order());
    }
    if (maxVirtioQueues() < 1) {
      throw new IllegalArgumentException("maxVirtioQueues must be positive: " + maxVirtioQueues());
    }
  }

  public static PlannerPolicy defaults() {
    return builder().build();
  }

  public static ImmutablePlannerPolicy.Builder builder() {
    return ImmutablePlannerPolicy.builder();
  }
}
