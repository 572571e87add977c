package org.niovirt.api.fleet;

import java.util.Objects;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.DeviceUsage;

/** One host of a fleet as the planner sees it: its hardware and its domains' devices, or why not. */
public sealed interface FleetHost {
  String name();

  /** A host whose inventory and defined domains were read. */
  record Reachable(String name, HostInventory inventory, DeviceUsage usage) implements FleetHost {
    public Reachable {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(inventory, "inventory");
      Objects.requireNonNull(usage, "usage");
    }
  }

  /** A host that could not be read (unreachable, refused, damaged tree): planned without it. */
  record Unreachable(String name, String reason) implements FleetHost {
    public Unreachable {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
