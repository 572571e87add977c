package org.niovirt.api.plan;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.request.Technology;
import org.niovirt.api.request.VirtioAttachment;

/** An SR-IOV virtual function, given through libvirt's {@code <interface type='hostdev'>}. */
@Value.Immutable
public non-sealed interface SriovNic extends NicAssignment {
  PciAddress physicalFunction();

  /** The PF's netdev, whose link must be up before start (libvirt sets the VF MAC through it). */
  Optional<String> physicalFunctionNetdev();

  PciAddress virtualFunction();

  /** N of {@code virtfnN}. */
  int vfIndex();

  /** False when the VF is created by raising {@code sriov_numvfs} before start. */
  boolean vfExists();

  /** The {@code sriov_numvfs} the PF must have for this VF to exist. */
  int requiredNumVfs();

  OptionalInt vlan();

  /**
   * For a NIC that must live-migrate: the virtio standby paired with this VF (virtio-net failover,
   * same MAC; the VF is unplugged for migration and the guest keeps its network on virtio).
   */
  Optional<VirtioAttachment> failoverStandby();

  @Override
  default Technology technology() {
    return Technology.SRIOV;
  }

  @Override
  default List<PciAddress> devices() {
    return List.of(virtualFunction());
  }

  @Override
  default Optional<PciAddress> parentDevice() {
    return Optional.of(physicalFunction());
  }

  static ImmutableSriovNic.Builder builder() {
    return ImmutableSriovNic.builder();
  }
}
