package org.niovirt.api.request;

import java.util.List;
import org.immutables.value.Value;

/** The network side of one guest: its name, its vCPUs (for multiqueue) and its NICs. */
@Value.Immutable
public interface GuestNetworkRequest {
  String guestName();

  @Value.Default
  default int vcpus() {
    return 1;
  }

  List<NicRequest> nics();

  /** The NIC requests expanded: one entry per guest NIC, in order. */
  default int totalNics() {
    return nics().stream().mapToInt(NicRequest::count).sum();
  }

  static ImmutableGuestNetworkRequest.Builder builder() {
    return ImmutableGuestNetworkRequest.builder();
  }
}
