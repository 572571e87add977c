package org.niovirt.cli.dashboard;

import java.util.List;
import java.util.Optional;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.Verdict;

/**
 * One libvirt domain as the dashboard shows it: its state and its NICs, each with the technology
 * and, when nio-virt defined the domain, why that technology was chosen.
 */
public record GuestView(String name, String state, int vcpus, long memoryMiB, List<Nic> nics) {
  public GuestView {
    nics = List.copyOf(nics);
  }

  public boolean active() {
    return state.equals("running") || state.equals("paused") || state.equals("blocked");
  }

  /** One guest NIC; {@code devices} are the host functions it holds (none for virtio). */
  public record Nic(int index, String technology, List<PciAddress> devices, Optional<String> mac,
      Optional<String> attachment, Optional<String> reason, List<Verdict> verdicts) {
    public Nic {
      devices = List.copyOf(devices);
      verdicts = List.copyOf(verdicts);
    }
  }
}
