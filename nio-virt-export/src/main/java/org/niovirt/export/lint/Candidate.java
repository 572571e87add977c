package org.niovirt.export.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.VirtualFunction;

/**
 * A network function an engine's selector could match, as the engines see it: a port or PF, or an
 * existing VF with its PF's netdev and its index.
 */
public record Candidate(PciAddress address, int vendorId, int deviceId, Optional<String> driver,
    Optional<String> netdev, Optional<PciAddress> physicalFunction, Optional<String> pfNetdev,
    OptionalInt vfIndex, boolean pfWithVfs) {

  /** Every port and PF of the host, and every VF that exists. */
  static List<Candidate> of(HostInventory inventory) {
    List<Candidate> candidates = new ArrayList<>();
    for (NetworkFunction function : inventory.functions().toList()) {
      Optional<String> netdev = function.netdevs().stream().map(NetDev::name).findFirst();
      boolean hasVfs = function.sriov().map(s -> !s.vfs().isEmpty()).orElse(false);
      candidates.add(new Candidate(function.address(), function.vendorId(), function.deviceId(),
          function.driver(), netdev, Optional.empty(), Optional.empty(), OptionalInt.empty(), hasVfs));
      if (function.sriov().isPresent()) {
        SriovCapability sriov = function.sriov().get();
        for (VirtualFunction vf : sriov.vfs()) {
          candidates.add(new Candidate(vf.address(), function.vendorId(), sriov.vfDeviceId().orElse(-1),
              vf.driver(), vf.netdev(), Optional.of(function.address()), netdev, OptionalInt.of(vf.index()), false));
        }
      }
    }
    return candidates;
  }

  /** {@code 0000:01:10.0 (VF 0 of eth3, igbvf)}. */
  public String describe() {
    String what = vfIndex.isPresent()
        ? "VF " + vfIndex.getAsInt() + " of " + pfNetdev.orElse(physicalFunction.map(Object::toString).orElse("?"))
        : netdev.orElse("no netdev");
    return address + " (" + what + ", " + driver.orElse("no driver") + ")";
  }

  String vendorHex() {
    return String.format("%04x", vendorId);
  }

  String deviceHex() {
    return deviceId < 0 ? "unknown" : String.format("%04x", deviceId);
  }
}
