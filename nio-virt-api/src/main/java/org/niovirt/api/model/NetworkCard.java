package org.niovirt.api.model;

import java.util.List;
import org.immutables.value.Value;

/** One physical card: the network functions sharing a {@code domain:bus:slot}, one per port. */
@Value.Immutable
public abstract class NetworkCard {
  /** {@code domain:bus:slot}, e.g. {@code 0000:02:00}. */
  public abstract String slotId();

  public abstract List<NetworkFunction> ports();

  public int portCount() {
    return ports().size();
  }

  @Value.Check
  protected void check() {
    if (ports().isEmpty()) {
      throw new IllegalArgumentException("card " + slotId() + " has no port");
    }
    for (NetworkFunction port : ports()) {
      if (!port.address().slotId().equals(slotId())) {
        throw new IllegalArgumentException(port.address() + " is not on card " + slotId());
      }
    }
  }

  public static ImmutableNetworkCard.Builder builder() {
    return ImmutableNetworkCard.builder();
  }
}
