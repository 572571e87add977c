package org.niovirt.sriov;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.spi.PlanningContext;

/**
 * The MAC of a failover pair when the request gives none: the VF and its virtio standby must share
 * one (the guest's net_failover pairs them by it), so libvirt cannot pick each on its own. Derived
 * from the guest's name and the NIC's index (the same plan gives the same MAC), in QEMU's
 * 52:54:00 range, and moved on while the host already carries it.
 */
final class Failover {
  private Failover() {}

  static MacAddress mac(PlanningContext context) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(
          (context.guestName() + "/" + context.nicIndex()).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
    for (int attempt = 0; attempt < 256; attempt++) {
      MacAddress mac = MacAddress.parse(String.format("52:54:00:%02x:%02x:%02x",
          digest[0] & 0xff, digest[1] & 0xff, (digest[2] + attempt) & 0xff));
      if (context.inventory().macCarrier(mac).isEmpty()) {
        return mac;
      }
    }
    throw new IllegalStateException("no free MAC near the derived one for " + context.guestName());
  }
}
