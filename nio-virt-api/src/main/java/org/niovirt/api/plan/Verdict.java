package org.niovirt.api.plan;

import java.util.Objects;
import java.util.function.Supplier;
import org.niovirt.api.request.Technology;
import org.niovirt.api.text.LazyText;

/**
 * One provider's judgement on one guest NIC, as shown to people. Immutable; the reason's text may
 * be built on first read (a batch judges every technology for every NIC; few are ever shown).
 */
public final class Verdict {
  public enum Outcome {
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

  private final Technology technology;
  private final Outcome outcome;
  private final LazyText reason;

  private Verdict(Technology technology, Outcome outcome, LazyText reason) {
    this.technology = Objects.requireNonNull(technology, "technology");
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    this.reason = reason;
  }

  public static Verdict of(Technology technology, Outcome outcome, String reason) {
    return new Verdict(technology, outcome, LazyText.now(reason));
  }

  /** A verdict whose reason is built when first read. */
  public static Verdict of(Technology technology, Outcome outcome, Supplier<String> reason) {
    return new Verdict(technology, outcome, LazyText.of(reason));
  }

  public Technology technology() {
    return technology;
  }

  public Outcome outcome() {
    return outcome;
  }

  public String reason() {
    return reason.get();
  }

  /** e.g. {@code vtd: rejected: IOMMU group 8 also holds 0000:02:00.1 (eth2, e1000e)}. */
  public String describe() {
    return technology() + ": " + outcome() + ": " + reason();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Verdict that && technology == that.technology && outcome == that.outcome
        && reason().equals(that.reason());
  }

  @Override
  public int hashCode() {
    return Objects.hash(technology, outcome, reason());
  }

  @Override
  public String toString() {
    return "Verdict{" + describe() + "}";
  }
}
