package org.niovirt.api.error;

import java.util.List;
import java.util.Optional;

/**
 * No plan satisfies the request (for example a pinned technology is not feasible on this host).
 * Names the guest and NIC that could not be served and every provider's verdict on it, each as
 * {@code technology: outcome: reason}.
 */
public final class PlanningException extends NioVirtException {
  private final String guestName;
  private final Integer nicIndex;
  private final List<String> verdicts;

  public PlanningException(String problem) {
    this(problem, null);
  }

  public PlanningException(String problem, String hint) {
    super(problem, hint, null);
    this.guestName = null;
    this.nicIndex = null;
    this.verdicts = List.of();
  }

  public PlanningException(String guestName, int nicIndex, String problem, List<String> verdicts, String hint) {
    super(problem, hint, null);
    this.guestName = guestName;
    this.nicIndex = nicIndex;
    this.verdicts = List.copyOf(verdicts);
  }

  /** The guest that could not be planned, when one NIC was the cause. */
  public Optional<String> guestName() {
    return Optional.ofNullable(guestName);
  }

  /** The NIC (0-based across the guest's requests) that no technology could serve. */
  public Optional<Integer> nicIndex() {
    return Optional.ofNullable(nicIndex);
  }

  /** Every technology's verdict on that NIC, in ranking order. */
  public List<String> verdicts() {
    return verdicts;
  }
}
