package org.niovirt.api.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
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

  /** Routing-ID distance of VF 0 from the PF ({@code sriov_offset}); 0 when not {@link #layoutKnown}. */
  public abstract int offset();

  /** Routing-ID distance between consecutive VFs ({@code sriov_stride}); 0 when not {@link #layoutKnown}. */
  public abstract int stride();

  /**
   * Whether {@link #offset} and {@link #stride} are known. Kernels before {@code sriov_offset} and
   * {@code sriov_stride} existed in sysfs report only the counts; when the config space's SR-IOV
   * capability cannot be read either, the VFs that exist are still known (by their links), but
   * where new ones would appear is not: then no VF can be created.
   */
  @Value.Default
  public boolean layoutKnown() {
    return true;
  }

  public abstract List<VirtualFunction> vfs();

  /**
   * Where VF {@code index} sits (or will sit once created): PF + offset + index * stride.
   *
   * @throws IllegalStateException when the layout is unknown and no existing VF has that index
   */
  public PciAddress vfAddress(int index) {
    if (!layoutKnown()) {
      return vf(index).map(VirtualFunction::address).orElseThrow(() -> new IllegalStateException(
          "where VF " + index + " of " + physicalFunction() + " would appear is unknown"
              + " (no sriov_offset/sriov_stride)"));
    }
    return physicalFunction().plusRoutingId(offset() + index * stride());
  }

  /** The existing VF with index {@code index}, if there is one. */
  public Optional<VirtualFunction> vf(int index) {
    return vfs().stream().filter(vf -> vf.index() == index).findFirst();
  }

  /** The index of the VF at {@code address}: an existing VF's, else where the layout puts it. */
  public OptionalInt indexOf(PciAddress address) {
    for (VirtualFunction existing : vfs()) {
      if (existing.address().equals(address)) {
        return OptionalInt.of(existing.index());
      }
    }
    for (int index = 0; layoutKnown() && index < totalVfs(); index++) {
      if (vfAddress(index).equals(address)) {
        return OptionalInt.of(index);
      }
    }
    return OptionalInt.empty();
  }

  /** Whether this PF has VFs or can create some ({@code sriov_totalvfs} above 0). */
  public boolean providesVfs() {
    return totalVfs() > 0 || !vfs().isEmpty();
  }

  /**
   * Addresses of the VFs that raising {@code sriov_numvfs} to {@code totalVfs} would create; none
   * when the layout is unknown.
   */
  public List<PciAddress> creatableVfAddresses() {
    List<PciAddress> addresses = new ArrayList<>();
    if (!layoutKnown()) {
      return addresses;
    }
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
