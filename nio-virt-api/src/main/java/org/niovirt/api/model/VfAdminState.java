package org.niovirt.api.model;

import java.util.Optional;

/**
 * What a VF's PF says about it over netlink (the {@code vf N} entries of {@code ip link show PF}):
 * set through the PF by whoever assigned the VF (libvirt, an operator, a script) and kept by the
 * PF driver after they are gone. A MAC or VLAN here with no domain holding the VF is an orphan:
 * the next owner of another VF could be given the same MAC.
 *
 * @param mac the administrative MAC; empty when it is all zeros (none set)
 * @param vlan the administrative VLAN id; 0 when none
 * @param spoofCheck MAC spoof checking, when the driver reports it
 * @param trust trusted mode, when the driver reports it
 * @param linkState {@code auto}, {@code enable} or {@code disable}, when reported
 */
public record VfAdminState(Optional<MacAddress> mac, int vlan, Optional<Boolean> spoofCheck,
    Optional<Boolean> trust, Optional<String> linkState) {
  private static final String NO_MAC = "00:00:00:00:00:00";

  public VfAdminState {
    if (vlan < 0 || vlan > 4095) {
      throw new IllegalArgumentException("VLAN id out of 0..4095: " + vlan);
    }
  }

  /** A MAC as the PF reports it: the all-zero address means none is set. */
  public static Optional<MacAddress> adminMac(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    MacAddress mac = MacAddress.parse(text, "vfinfo.address");
    return mac.value().equals(NO_MAC) ? Optional.empty() : Optional.of(mac);
  }

  /** Whether an earlier owner's MAC or VLAN is still set on the VF. */
  public boolean carriesAddress() {
    return mac.isPresent() || vlan != 0;
  }

  /** {@code MAC 52:54:00:..:.., VLAN 42}, or {@code no MAC or VLAN}. */
  public String describeAddress() {
    if (!carriesAddress()) {
      return "no MAC or VLAN";
    }
    return mac.map(m -> "MAC " + m).orElse("")
        + (mac.isPresent() && vlan != 0 ? ", " : "")
        + (vlan != 0 ? "VLAN " + vlan : "");
  }
}
