package org.niovirt.api.model;

import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/** A PCI function in an IOMMU group (any class, not only network). */
@Value.Immutable
public abstract class IommuGroupMember {
  /** Drivers that already keep a device away from the host, so it does not block assignment. */
  public static final Set<String> ASSIGNMENT_DRIVERS = Set.of("vfio-pci", "pci-stub");

  public abstract PciAddress address();

  public abstract int classCode();

  public abstract Optional<String> driver();

  /**
   * Whether its class and driver could be read; a member the detector could not read blocks its
   * group, since it might be bound to a host driver.
   */
  @Value.Default
  public boolean complete() {
    return true;
  }

  /** PCI-to-PCI bridges (class 0x0604) and host bridges (0x0600) never block vfio. */
  public boolean isBridge() {
    int subclass = classCode() >> 8;
    return subclass == 0x0604 || subclass == 0x0600 || subclass == 0x0609;
  }

  /** Whether this member lets its group be assigned as it is now. */
  public boolean allowsAssignment() {
    return complete()
        && (isBridge() || driver().isEmpty() || ASSIGNMENT_DRIVERS.contains(driver().get()));
  }

  public static ImmutableIommuGroupMember.Builder builder() {
    return ImmutableIommuGroupMember.builder();
  }
}
