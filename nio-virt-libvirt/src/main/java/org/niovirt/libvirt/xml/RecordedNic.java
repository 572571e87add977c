package org.niovirt.libvirt.xml;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.Verdict;
import org.niovirt.api.request.Technology;

/** One NIC of a {@link RecordedPlan}: the technology chosen, the host functions, and why. */
@Value.Immutable
public interface RecordedNic {
  int nicIndex();

  Technology technology();

  /** Host PCI functions the NIC was given (the VF, or a function and its IOMMU-group companions). */
  List<PciAddress> devices();

  String reason();

  /**
   * For an SR-IOV NIC, the PF and the VF's index on it: what stays true when a reboot or another
   * driver re-creates the VFs at new addresses, so the VF can be found again.
   */
  Optional<PciAddress> physicalFunction();

  OptionalInt vfIndex();

  /** Whether this records an SR-IOV VF: its PF, its index and the VF's address. */
  default boolean recordsVf() {
    return physicalFunction().isPresent() && vfIndex().isPresent() && !devices().isEmpty();
  }

  /** Every provider's verdict on this NIC, in policy order. */
  List<Verdict> verdicts();

  /** {@code nic 2: sriov - reason}, then one indented line per verdict. */
  default String explain() {
    StringBuilder out = new StringBuilder("nic ").append(nicIndex()).append(": ").append(technology())
        .append(" - ").append(reason()).append('\n');
    verdicts().forEach(v -> out.append("  ").append(v.describe()).append('\n'));
    return out.toString();
  }

  static ImmutableRecordedNic.Builder builder() {
    return ImmutableRecordedNic.builder();
  }
}
