package org.niovirt.remote;

import java.util.List;
import org.apache.sshd.client.session.ClientSession;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.libvirt.IpLinkControl;
import org.niovirt.libvirt.LinkControl;

/** {@code ip link} on the remote host, over the SSH session: the same commands as IpLinkControl. */
final class SshLinkControl implements LinkControl {
  private final ClientSession session;
  private final String host;

  SshLinkControl(ClientSession session, String host) {
    this.session = session;
    this.host = host;
  }

  @Override
  public void setLinkUp(String netdev, boolean up) {
    IpLinkControl.requireNetdevName(netdev);
    SshCommands.run(session, host, List.of("ip", "link", "set", "dev", netdev, up ? "up" : "down"));
  }

  @Override
  public void clearVf(String pfNetdev, int vfIndex) {
    IpLinkControl.requireNetdevName(pfNetdev);
    if (vfIndex < 0) {
      throw new InvalidInputException("vfIndex", vfIndex, "a VF index, 0 or more");
    }
    SshCommands.run(session, host, List.of("ip", "link", "set", "dev", pfNetdev, "vf",
        Integer.toString(vfIndex), "mac", "00:00:00:00:00:00", "vlan", "0"));
  }
}
