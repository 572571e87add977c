package org.niovirt.libvirt;

import java.util.List;

/** What {@link LibvirtHost#repair} did, and what it refused and why, in words for people. */
public record RepairOutcome(List<String> done, List<String> refused) {
  public RepairOutcome {
    done = List.copyOf(done);
    refused = List.copyOf(refused);
  }
}
