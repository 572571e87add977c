package org.niovirt.cli.dashboard;

import java.util.List;
import org.niovirt.libvirt.xml.DomainNic;

/**
 * One libvirt domain as the dashboard shows it: its state and its NICs, each with the technology
 * and, when nio-virt defined the domain, why that technology was chosen ({@link DomainNic}); and
 * why it cannot start as the host is now (a VF missing after a reboot...), each with the fix.
 */
public record GuestView(String name, String state, int vcpus, long memoryMiB, List<DomainNic> nics,
    List<String> cannotStart) {
  public GuestView {
    nics = List.copyOf(nics);
    cannotStart = List.copyOf(cannotStart);
  }

  public GuestView(String name, String state, int vcpus, long memoryMiB, List<DomainNic> nics) {
    this(name, state, vcpus, memoryMiB, nics, List.of());
  }

  public boolean active() {
    return state.equals("running") || state.equals("paused") || state.equals("blocked");
  }
}
