package org.niovirt.api.spi;

import org.niovirt.api.request.Technology;

/**
 * Judges whether one technology can serve one guest NIC on one host, and proposes how.
 *
 * <p>Implementations are found through {@link java.util.ServiceLoader} (register the class in
 * {@code META-INF/services/org.niovirt.api.spi.NetworkIoProvider}) or registered explicitly with
 * {@code NetworkIoPlanner.builder().provider(...)}. They must have a public no-argument
 * constructor, be stateless and thread-safe, and never touch the host: everything they may know is
 * in the {@link PlanningContext}.
 */
public interface NetworkIoProvider {
  /** The one technology this provider serves; two providers may not claim the same one. */
  Technology technology();

  /**
   * Whether this provider can serve a NIC that must live-migrate (virtio; SR-IOV and VT-d through a
   * failover pair). The planner refuses the others for such NICs. False by default.
   */
  default boolean migratable() {
    return false;
  }

  /**
   * Proposes an assignment for {@code context.nicIndex()}, or says in plain words why not. Must not
   * propose a device that {@link PlanningContext#usage()} holds or that is the management NIC.
   */
  Proposal propose(PlanningContext context);
}
