package org.niovirt.api.spi;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;
import org.niovirt.api.plan.HostAction;
import org.niovirt.api.plan.NicAssignment;

/**
 * A provider's answer: an assignment with its reason and the host changes it needs, or a
 * rejection with its reason. A provider whose technology needs nothing on the host says nothing
 * about host actions; the planner merges those of a batch (one {@code sriov_numvfs} change per PF).
 */
@Value.Immutable(builder = false)
public abstract class Proposal {
  @Value.Parameter
  public abstract Optional<NicAssignment> assignment();

  @Value.Parameter
  public abstract String reason();

  /** What the host needs before the guest starts, in order; empty by default. */
  @Value.Default
  public List<HostAction> hostActions() {
    return List.of();
  }

  public static Proposal accept(NicAssignment assignment) {
    return ImmutableProposal.of(Optional.of(assignment), assignment.reason());
  }

  /** Accepted, once {@code hostActions} are done on the host (e.g. VFs created, a link raised). */
  public static Proposal accept(NicAssignment assignment, List<HostAction> hostActions) {
    return ImmutableProposal.of(Optional.of(assignment), assignment.reason()).withHostActions(hostActions);
  }

  public static Proposal reject(String reason) {
    return ImmutableProposal.of(Optional.empty(), reason);
  }

  public boolean feasible() {
    return assignment().isPresent();
  }
}
