package org.niovirt.api.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.request.VirtioAttachment;
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

  /**
   * For a NIC that must live-migrate: the virtio standby paired with this function (virtio-net
   * failover; the function is the transient primary, unplugged for migration). Never with group
   * companions: they would stay in the guest and block the migration.
   */
  Optional<VirtioAttachment> failoverStandby();

  @Value.Check
  default void check() {
    // The function keeps its own MAC; with a standby, mac() is that MAC, which the standby must
    // carry too (the guest's net_failover pairs them by it).
    if (failoverStandby().isPresent() != mac().isPresent()) {
      throw new IllegalStateException("a passthrough NIC names its MAC exactly when it has a standby");
    }
    if (failoverStandby().isPresent() && !groupCompanions().isEmpty()) {
      throw new IllegalStateException("a failover primary cannot take group companions along");
    }
  }

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
