package org.niovirt.api.plan;

import org.immutables.value.Value;
import org.niovirt.api.request.Technology;

/** One provider's judgement on one guest NIC, as shown to people. */
@Value.Immutable(builder = false)
public interface Verdict {
  enum Outcome {
    /** Feasible and picked. */
    CHOSEN,
    /** Feasible, but a technology ranked higher was picked. */
    FEASIBLE,
    /** Not possible on this host for this request. */
    REJECTED,
    /** Ruled out by the request or the policy before being asked. */
    EXCLUDED;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Value.Parameter
  Technology technology();

  @Value.Parameter
  Outcome outcome();

  @Value.Parameter
  String reason();

  static Verdict of(Technology technology, Outcome outcome, String reason) {
    return ImmutableVerdict.of(technology, outcome, reason);
  }

  /** e.g. {@code vtd: rejected: IOMMU group 8 also holds 0000:02:00.1 (eth2, e1000e)}. */
  default String describe() {
    return technology() + ": " + outcome() + ": " + reason();
  }
}
