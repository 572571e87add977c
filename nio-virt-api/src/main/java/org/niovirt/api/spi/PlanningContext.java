package org.niovirt.api.spi;

import java.util.Optional;
import org.immutables.value.Value;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.PlannerPolicy;

/** All a provider may know while judging one guest NIC. */
@Value.Immutable
public interface PlanningContext {
  HostInventory inventory();

  PlannerPolicy policy();

  /** Devices already held: by defined domains, and by earlier NICs or guests of this plan. */
  DeviceUsage usage();

  String guestName();

  int vcpus();

  /** Position of this NIC in the guest, 0-based across all its NIC requests. */
  int nicIndex();

  NicRequest nic();

  /** The MAC the request gives this NIC, if any. */
  Optional<MacAddress> mac();

  static ImmutablePlanningContext.Builder builder() {
    return ImmutablePlanningContext.builder();
  }
}
