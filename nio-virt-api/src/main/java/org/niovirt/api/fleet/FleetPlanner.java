package org.niovirt.api.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.error.PlanningException;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.NicExplanation;
import org.niovirt.api.plan.Verdict;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.Technology;

/**
 * Places a guest on the host of a fleet where its NICs get the best technology (the planner's
 * policy order: each NIC scores its technology's rank, lower is better), then, among equally good
 * hosts, on the one whose domains hold the fewest devices (spreading load), then by name. Every
 * host gets a verdict: why it was chosen, or the technologies it would have given and why the
 * better ones were refused there, or why it could not serve the guest at all.
 */
public final class FleetPlanner {
  private final NetworkIoPlanner planner;

  public FleetPlanner(NetworkIoPlanner planner) {
    this.planner = planner;
  }

  /** One candidate: a host's plan for the guest and its score. */
  private record Candidate(FleetHost.Reachable host, GuestNetworkPlan plan, int score) {}

  /**
   * The placement of {@code request} on {@code hosts}, or on {@code pinned} alone when given.
   *
   * @throws InvalidInputException when {@code pinned} names no host of the fleet
   * @throws PlanningException when no host can serve the guest; its message holds every host's reason
   */
  public Placement place(List<FleetHost> hosts, GuestNetworkRequest request, Optional<String> pinned) {
    if (pinned.isPresent() && hosts.stream().noneMatch(h -> h.name().equals(pinned.get()))) {
      throw new InvalidInputException("host", pinned.get(), "no host of the fleet has this name; it has "
          + hosts.stream().map(FleetHost::name).collect(Collectors.joining(", ")));
    }
    List<Candidate> candidates = new ArrayList<>();
    List<Placement.HostVerdict> refused = new ArrayList<>();
    for (FleetHost host : hosts) {
      if (pinned.isPresent() && !pinned.get().equals(host.name())) {
        refused.add(new Placement.HostVerdict(host.name(), false, "not the pinned host " + pinned.get()));
        continue;
      }
      if (host instanceof FleetHost.Unreachable unreachable) {
        refused.add(new Placement.HostVerdict(host.name(), false, "unavailable: " + unreachable.reason()));
      } else if (host instanceof FleetHost.Reachable reachable) {
        try {
          GuestNetworkPlan plan = planner.plan(reachable.inventory(), request, reachable.usage());
          candidates.add(new Candidate(reachable, plan, score(plan)));
        } catch (PlanningException | InvalidInputException e) {
          refused.add(new Placement.HostVerdict(host.name(), false, "cannot serve it: " + e.getMessage()));
        }
      }
    }
    if (candidates.isEmpty()) {
      throw new PlanningException("no host of the fleet can serve guest " + request.guestName() + ": "
          + refused.stream().map(Placement.HostVerdict::describe).collect(Collectors.joining("; ")));
    }
    Comparator<Candidate> order = Comparator.comparingInt(Candidate::score)
        .thenComparingInt(c -> c.host().usage().size())
        .thenComparing(c -> c.host().name());
    candidates.sort(order);
    Candidate best = candidates.get(0);
    List<Placement.HostVerdict> verdicts = new ArrayList<>();
    verdicts.add(new Placement.HostVerdict(best.host().name(), true, "chosen: " + technologies(best.plan())
        + (candidates.size() > 1 && candidates.get(1).score() == best.score()
            ? " (as good as " + candidates.get(1).host().name() + ", whose domains hold "
                + candidates.get(1).host().usage().size() + " devices to its " + best.host().usage().size() + ")"
            : "")));
    for (Candidate other : candidates.subList(1, candidates.size())) {
      verdicts.add(new Placement.HostVerdict(other.host().name(), false, other.score() == best.score()
          ? "as good (" + technologies(other.plan()) + "), but its domains hold " + other.host().usage().size()
              + " devices to " + best.host().name() + "'s " + best.host().usage().size()
          : "would give " + technologies(other.plan()) + whyNotBetter(other.plan())));
    }
    verdicts.addAll(refused);
    return new Placement(best.host().name(), best.plan(), verdicts);
  }

  /** Sum over the NICs of their technology's rank in the policy order (0 = best). */
  private int score(GuestNetworkPlan plan) {
    List<Technology> order = planner.policy().order();
    return plan.explanations().stream().mapToInt(e -> order.indexOf(e.chosen())).sum();
  }

  private static String technologies(GuestNetworkPlan plan) {
    return plan.explanations().stream().map(e -> "nic " + e.nicIndex() + " " + e.chosen().id())
        .collect(Collectors.joining(", "));
  }

  /** For each NIC, why the technologies better than its own were refused on this host. */
  private String whyNotBetter(GuestNetworkPlan plan) {
    List<Technology> order = planner.policy().order();
    StringBuilder why = new StringBuilder();
    for (NicExplanation nic : plan.explanations()) {
      for (Verdict verdict : nic.verdicts()) {
        if (order.indexOf(verdict.technology()) < order.indexOf(nic.chosen())) {
          why.append("; nic ").append(nic.nicIndex()).append(' ').append(verdict.technology().id())
              .append(" refused: ").append(verdict.reason());
        }
      }
    }
    return why.toString();
  }
}
