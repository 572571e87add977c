package org.niovirt.libvirt.xml;

import java.util.Optional;

/**
 * {@code <teaming>} of a virtio-net failover pair: the virtio interface is {@code persistent} (the
 * standby, kept during migration), the hostdev interface {@code transient} (the primary, unplugged
 * for migration) and names the standby's alias. The guest's net_failover driver bonds them by MAC.
 *
 * @param type {@code persistent} or {@code transient}
 * @param persistent for a transient interface, the alias of its persistent partner
 */
public record TeamingXml(String type, Optional<String> persistent) {
  public TeamingXml {
    if (!type.equals("persistent") && !type.equals("transient")) {
      throw new IllegalArgumentException("teaming type must be persistent or transient: " + type);
    }
    if (type.equals("transient") != persistent.isPresent()) {
      throw new IllegalArgumentException("a transient teaming names its persistent partner, a persistent one none");
    }
  }

  /** The standby (virtio) side. */
  public static TeamingXml persistentSide() {
    return new TeamingXml("persistent", Optional.empty());
  }

  /** The primary (hostdev) side, paired with the interface aliased {@code standbyAlias}. */
  public static TeamingXml transientSide(String standbyAlias) {
    return new TeamingXml("transient", Optional.of(standbyAlias));
  }
}
