package org.niovirt.api.error;

/** No plan satisfies the request (for example a pinned technology is not feasible on this host). */
public final class PlanningException extends NioVirtException {
  public PlanningException(String message) {
    super(message);
  }
}
