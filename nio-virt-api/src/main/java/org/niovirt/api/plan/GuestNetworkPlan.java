package org.niovirt.api.plan;

import java.util.List;
import java.util.stream.Collectors;
import org.immutables.value.Value;
import org.niovirt.api.model.PciAddress;

/** The planner's answer for one guest: an assignment and an explanation per NIC. */
@Value.Immutable
public abstract class GuestNetworkPlan {
  public abstract String guestName();

  public abstract List<NicAssignment> assignments();

  public abstract List<NicExplanation> explanations();

  /** Host changes needed before start, in order. */
  public abstract List<HostAction> hostActions();

  /** Every host function this guest takes. */
  public List<PciAddress> devices() {
    return assignments().stream()
        .flatMap(a -> a.devices().stream())
        .collect(Collectors.toUnmodifiableList());
  }

  @Value.Check
  protected void check() {
    if (assignments().size() != explanations().size()) {
      throw new IllegalArgumentException("every assignment needs its explanation");
    }
    List<PciAddress> devices = devices();
    if (devices.size() > 1 && new java.util.HashSet<>(devices).size() != devices.size()) {
      throw new IllegalArgumentException("a device is assigned twice in the plan of " + guestName());
    }
  }

  /** Multi-line text: each NIC's choice and every verdict. */
  public String explain() {
    StringBuilder out = new StringBuilder();
    for (NicExplanation e : explanations()) {
      NicAssignment a = assignments().get(e.nicIndex());
      out.append("nic ").append(e.nicIndex()).append(": ").append(e.chosen())
          .append(" - ").append(a.reason()).append('\n');
      for (Verdict v : e.verdicts()) {
        out.append("  ").append(v.describe()).append('\n');
      }
    }
    for (HostAction action : hostActions()) {
      out.append("host: ").append(action.describe()).append('\n');
    }
    return out.toString();
  }

  public static ImmutableGuestNetworkPlan.Builder builder() {
    return ImmutableGuestNetworkPlan.builder();
  }
}
