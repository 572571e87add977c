package org.niovirt.api.fleet;

import java.util.List;
import org.niovirt.api.plan.GuestNetworkPlan;

/**
 * Where a guest goes and why: the chosen host's plan, and one verdict per host of the fleet (the
 * chosen one first), each saying why that host was or was not chosen.
 */
public record Placement(String host, GuestNetworkPlan plan, List<HostVerdict> verdicts) {
  public Placement {
    verdicts = List.copyOf(verdicts);
  }

  /** One host's part in the choice. */
  public record HostVerdict(String host, boolean chosen, String reason) {
    /** {@code rack1-a: chosen: nic 0 sriov (...)}. */
    public String describe() {
      return host + ": " + reason;
    }
  }
}
