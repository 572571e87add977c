package org.niovirt.libvirt;

/**
 * Sets a network interface administratively up or down. sysfs cannot do that (its {@code flags}
 * file is read-only), so the real implementation is {@link IpLinkControl}; tests on a copied sysfs
 * tree inject one that edits that tree instead.
 */
@FunctionalInterface
public interface LinkControl {
  void setLinkUp(String netdev, boolean up);

  /**
   * Clears what a guest left on VF {@code vfIndex} of the PF whose netdev is {@code pfNetdev}: its
   * administrative MAC and VLAN, so the next holder does not inherit them (two VFs with one MAC
   * break both). Called when nio-virt releases a VF no other domain holds. No-op by default.
   */
  default void clearVf(String pfNetdev, int vfIndex) {
  }
}
