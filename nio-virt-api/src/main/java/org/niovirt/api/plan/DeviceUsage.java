package org.niovirt.api.plan;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;
import org.niovirt.api.model.PciAddress;

/**
 * Which host functions are already held, and by which domain. Read from libvirt's defined domains
 * (the source of truth), then extended with each plan's own choices while planning.
 */
@Value.Immutable
public abstract class DeviceUsage {
  public abstract Map<PciAddress, String> holders();

  public static DeviceUsage empty() {
    return ImmutableDeviceUsage.builder().build();
  }

  public static DeviceUsage of(Map<PciAddress, String> holders) {
    return ImmutableDeviceUsage.builder().holders(holders).build();
  }

  public Optional<String> holder(PciAddress address) {
    return Optional.ofNullable(holders().get(address));
  }

  public boolean inUse(PciAddress address) {
    return holders().containsKey(address);
  }

  /** This usage plus every device of {@code plan}. */
  public DeviceUsage with(GuestNetworkPlan plan) {
    Map<PciAddress, String> next = new HashMap<>(holders());
    for (PciAddress device : plan.devices()) {
      next.put(device, plan.guestName());
    }
    return of(next);
  }
}
