package org.niovirt.cli.dashboard;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.advice.Advice;
import org.niovirt.api.advice.Advisor;
import org.niovirt.api.error.PlanningException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.cli.common.AdviceJson;

/**
 * What a new guest with one NIC would get on the host as it is now, and the host changes that
 * would unlock a better technology for it ({@link Advisor}: each proven by planning again with the
 * change applied). The dashboard's "what would unlock a faster path" panel.
 */
final class HostAdvice {
  /** The planner with the providers on the class path, built once: the view is redrawn often. */
  private static final NetworkIoPlanner PLANNER = NetworkIoPlanner.create();
  private static final String GUEST = "new-guest";

  private HostAdvice() {}

  /** {@code {"chosen": "virtio", "advice": [...]}}, or {@code "chosen": null} with the problem. */
  static ObjectNode forNewGuest(HostInventory inventory, DeviceUsage usage) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    GuestNetworkRequest request = GuestNetworkRequest.builder().guestName(GUEST)
        .addNics(NicRequest.builder().build()).build();
    GuestNetworkPlan plan;
    try {
      plan = PLANNER.plan(inventory, request, usage);
    } catch (PlanningException e) {
      node.putNull("chosen").put("problem", e.getMessage()).putArray("advice");
      return node;
    }
    List<Advice> advice = Advisor.advise(PLANNER, inventory, request, usage, plan);
    node.put("chosen", plan.explanations().get(0).chosen().id());
    node.set("advice", AdviceJson.of(advice));
    return node;
  }
}
