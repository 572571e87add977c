package org.niovirt.cli.dashboard;

import org.niovirt.libvirt.GuestSummary;
import org.niovirt.libvirt.LibvirtHost;

/** Clean-up shared by the dashboard tests: the guests a test class launched, by name prefix. */
final class TestGuests {
  private TestGuests() {}

  static void removeAll(LibvirtHost host, String prefix) {
    for (GuestSummary guest : host.list()) {
      if (guest.name().startsWith(prefix)) {
        if (guest.state().active()) {
          host.destroy(guest.name());
        }
        host.undefine(guest.name());
      }
    }
  }
}
