package org.niovirt.api.spi;

import java.util.Optional;
import org.immutables.value.Value;
import org.niovirt.api.plan.NicAssignment;

/** A provider's answer: an assignment with its reason, or a rejection with its reason. */
@Value.Immutable(builder = false)
public abstract class Proposal {
  @Value.Parameter
  public abstract Optional<NicAssignment> assignment();

  @Value.Parameter
  public abstract String reason();

  public static Proposal accept(NicAssignment assignment) {
    return ImmutableProposal.of(Optional.of(assignment), assignment.reason());
  }

  public static Proposal reject(String reason) {
    return ImmutableProposal.of(Optional.empty(), reason);
  }

  public boolean feasible() {
    return assignment().isPresent();
  }
}
