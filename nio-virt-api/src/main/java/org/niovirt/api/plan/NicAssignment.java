package org.niovirt.api.plan;

import java.util.List;
import java.util.Optional;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.request.Technology;

/** How one guest NIC is served. One variant per technology; the XML follows from the variant. */
public sealed interface NicAssignment permits VirtioNic, PassthroughNic, SriovNic {
  /** Position of this NIC in the guest, 0-based across all NIC requests. */
  int nicIndex();

  Optional<MacAddress> mac();

  /** Why this technology was chosen for this NIC, in words a person understands. */
  String reason();

  Technology technology();

  /** Host PCI functions this NIC takes away from the host (empty for virtio). */
  List<PciAddress> devices();

  /**
   * The device the taken {@link #devices()} belong to and share with other users, such as the PF
   * of an SR-IOV VF, so the ledger can count a PF's VFs in use; empty by default.
   */
  default Optional<PciAddress> parentDevice() {
    return Optional.empty();
  }
}
