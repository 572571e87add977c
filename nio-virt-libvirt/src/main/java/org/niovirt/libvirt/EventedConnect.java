package org.niovirt.libvirt;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.ConnectionPointer;

/** A libvirt-java connection that lets {@link DomainEvents} register C callbacks on it. */
final class EventedConnect extends Connect {
  EventedConnect(String uri) throws LibvirtException {
    super(uri);
  }

  ConnectionPointer pointer() {
    return vcp;
  }
}
