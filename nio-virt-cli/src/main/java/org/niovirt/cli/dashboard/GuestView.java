package org.niovirt.cli.dashboard;

import java.util.List;
import org.niovirt.libvirt.xml.DomainNic;

/**
 * One libvirt domain as the dashboard shows it: its state and its NICs, each with the technology
 * and, when nio-virt defined the domain, why that technology was chosen ({@link DomainNic}).
 */
public record GuestView(String name, String state, int vcpus, long memoryMiB, List<DomainNic> nics) {
  public GuestView {
    nics = List.copyOf(nics);
  }

  public boolean active() {
    return state.equals("running") || state.equals("paused") || state.equals("blocked");
  }
}
