package org.niovirt.libvirt;

/**
 * Sets a network interface administratively up or down. sysfs cannot do that (its {@code flags}
 * file is read-only), so the real implementation is {@link IpLinkControl}; tests on a copied sysfs
 * tree inject one that edits that tree instead.
 */
@FunctionalInterface
public interface LinkControl {
  void setLinkUp(String netdev, boolean up);
}
