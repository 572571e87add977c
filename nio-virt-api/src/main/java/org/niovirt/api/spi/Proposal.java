package org.niovirt.api.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.niovirt.api.plan.HostAction;
import org.niovirt.api.plan.NicAssignment;
import org.niovirt.api.text.LazyText;

/**
 * A provider's answer: an assignment with its reason and the host changes it needs, or a
 * rejection with its reason. A provider whose technology needs nothing on the host says nothing
 * about host actions; the planner merges those of a batch (one {@code sriov_numvfs} change per PF).
 * A rejection's reason may be given as a supplier: it is built only if someone reads it.
 */
public final class Proposal {
  private final Optional<NicAssignment> assignment;
  private final LazyText reason;
  private final List<HostAction> hostActions;

  private Proposal(Optional<NicAssignment> assignment, LazyText reason, List<HostAction> hostActions) {
    this.assignment = assignment;
    this.reason = reason;
    this.hostActions = List.copyOf(hostActions);
  }

  public static Proposal accept(NicAssignment assignment) {
    return accept(assignment, List.of());
  }

  /** Accepted, once {@code hostActions} are done on the host (e.g. VFs created, a link raised). */
  public static Proposal accept(NicAssignment assignment, List<HostAction> hostActions) {
    Objects.requireNonNull(assignment, "assignment");
    return new Proposal(Optional.of(assignment), LazyText.now(assignment.reason()), hostActions);
  }

  public static Proposal reject(String reason) {
    return new Proposal(Optional.empty(), LazyText.now(reason), List.of());
  }

  /** Rejected for a reason built only when read (a planner batch rarely shows most of them). */
  public static Proposal reject(Supplier<String> reason) {
    return new Proposal(Optional.empty(), LazyText.of(reason), List.of());
  }

  public Optional<NicAssignment> assignment() {
    return assignment;
  }

  public String reason() {
    return reason.get();
  }

  /** The reason as lazily built text, for verdicts that keep it unbuilt. */
  public Supplier<String> lazyReason() {
    return reason;
  }

  /** What the host needs before the guest starts, in order; empty by default. */
  public List<HostAction> hostActions() {
    return hostActions;
  }

  public boolean feasible() {
    return assignment.isPresent();
  }

  @Override
  public String toString() {
    return "Proposal{" + (feasible() ? "accepted" : "rejected") + ": " + reason() + "}";
  }
}
