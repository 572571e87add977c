package org.niovirt.libvirt.testing;

import java.util.List;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.HostAction;
import org.niovirt.api.plan.ImmutableGuestNetworkPlan;
import org.niovirt.api.plan.NicAssignment;
import org.niovirt.api.plan.NicExplanation;
import org.niovirt.api.plan.Verdict;
import org.niovirt.api.plan.Verdict.Outcome;

/** Hand-made plans, as a planner would return them, for writer and launch tests. */
public final class Plans {
  private Plans() {}

  public static GuestNetworkPlan of(String guest, List<HostAction> actions, NicAssignment... nics) {
    ImmutableGuestNetworkPlan.Builder plan = GuestNetworkPlan.builder().guestName(guest).hostActions(actions);
    for (NicAssignment nic : nics) {
      plan.addAssignment(nic).addExplanation(NicExplanation.builder()
          .nicIndex(nic.nicIndex()).chosen(nic.technology())
          .addVerdict(Verdict.of(nic.technology(), Outcome.CHOSEN, nic.reason())).build());
    }
    return plan.build();
  }

  public static GuestNetworkPlan of(String guest, NicAssignment... nics) {
    return of(guest, List.of(), nics);
  }
}
