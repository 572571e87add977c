package org.niovirt.api.plan;

import java.util.ArrayList;
import java.util.List;
import org.immutables.value.Value;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.request.Technology;

/** VT-d passthrough: a whole PCI function given to the guest through vfio. */
@Value.Immutable
public non-sealed interface PassthroughNic extends NicAssignment {
  PciAddress function();

  int iommuGroup();

  /**
   * Other functions of the same IOMMU group that must leave the host with it (a multi-port card
   * without ACS); they are assigned to the same guest.
   */
  List<PciAddress> groupCompanions();

  @Override
  default Technology technology() {
    return Technology.VTD;
  }

  @Override
  default List<PciAddress> devices() {
    List<PciAddress> all = new ArrayList<>();
    all.add(function());
    all.addAll(groupCompanions());
    return List.copyOf(all);
  }

  static ImmutablePassthroughNic.Builder builder() {
    return ImmutablePassthroughNic.builder();
  }
}
