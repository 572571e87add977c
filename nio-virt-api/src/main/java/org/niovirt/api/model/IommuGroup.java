package org.niovirt.api.model;

import java.util.List;
import java.util.stream.Collectors;
import org.immutables.value.Value;

/** The smallest set of functions the IOMMU can isolate: they are assigned together or not at all. */
@Value.Immutable
public abstract class IommuGroup {
  public abstract int id();

  public abstract List<IommuGroupMember> members();

  /** Viable now: every member is a bridge, unbound, or on vfio-pci / pci-stub. */
  public boolean viable() {
    return members().stream().allMatch(IommuGroupMember::allowsAssignment);
  }

  /** Members that would have to leave the host (non-bridges) if any one of them is assigned. */
  public List<PciAddress> nonBridgeMembers() {
    return members().stream()
        .filter(m -> !m.isBridge())
        .map(IommuGroupMember::address)
        .collect(Collectors.toList());
  }

  public static ImmutableIommuGroup.Builder builder() {
    return ImmutableIommuGroup.builder();
  }
}
