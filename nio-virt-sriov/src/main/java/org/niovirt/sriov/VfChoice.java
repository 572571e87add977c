package org.niovirt.sriov;

import java.util.Optional;
import java.util.function.Supplier;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.VirtualFunction;

/** A VF to use, existing or to create, or why this PF has none for this NIC. */
final class VfChoice {
  final Supplier<String> refusal;
  final PciAddress address;
  final int index;
  final Optional<VirtualFunction> existing;

  private VfChoice(Supplier<String> refusal, PciAddress address, int index,
      Optional<VirtualFunction> existing) {
    this.refusal = refusal;
    this.address = address;
    this.index = index;
    this.existing = existing;
  }

  static VfChoice refuse(Supplier<String> refusal) {
    return new VfChoice(refusal, null, -1, Optional.empty());
  }

  static VfChoice existing(VirtualFunction vf) {
    return new VfChoice(null, vf.address(), vf.index(), Optional.of(vf));
  }

  static VfChoice toCreate(PciAddress address, int index) {
    return new VfChoice(null, address, index, Optional.empty());
  }
}
