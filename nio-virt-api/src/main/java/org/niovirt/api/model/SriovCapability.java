package org.niovirt.api.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.immutables.value.Value;

/** The SR-IOV capability of a physical function, with the VFs that exist now. */
@Value.Immutable
public abstract class SriovCapability {
  public abstract PciAddress physicalFunction();

  public abstract int totalVfs();

  public abstract int numVfs();

  /** The VFs' PCI device id ({@code sriov_vf_device}). */
  public abstract OptionalInt vfDeviceId();

  /** Routing-ID distance of VF 0 from the PF ({@code sriov_offset}). */
  public abstract int offset();

  /** Routing-ID distance between consecutive VFs ({@code sriov_stride}). */
  public abstract int stride();

  public abstract List<VirtualFunction> vfs();

  /** Where VF {@code index} sits (or will sit once created): PF + offset + index * stride. */
  public PciAddress vfAddress(int index) {
    return physicalFunction().plusRoutingId(offset() + index * stride());
  }

  /** Addresses of the VFs that raising {@code sriov_numvfs} to {@code totalVfs} would create. */
  public List<PciAddress> creatableVfAddresses() {
    List<PciAddress> addresses = new ArrayList<>();
    for (int i = numVfs(); i < totalVfs(); i++) {
      addresses.add(vfAddress(i));
    }
    return addresses;
  }

  /** Every VF address of this PF: the VFs that exist and those {@link #creatableVfAddresses} adds. */
  @Value.Lazy
  public Set<PciAddress> allVfAddresses() {
    Set<PciAddress> all = new LinkedHashSet<>();
    vfs().forEach(vf -> all.add(vf.address()));
    all.addAll(creatableVfAddresses());
    return Collections.unmodifiableSet(all);
  }

  @Value.Check
  protected void check() {
    if (totalVfs() < 0 || numVfs() < 0 || numVfs() > Math.max(totalVfs(), vfs().size())) {
      throw new IllegalArgumentException(
          "SR-IOV counts inconsistent on " + physicalFunction() + ": numVfs=" + numVfs()
              + " totalVfs=" + totalVfs());
    }
  }

  public static ImmutableSriovCapability.Builder builder() {
    return ImmutableSriovCapability.builder();
  }
}
