package org.niovirt.api.plan;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;

/**
 * Which host functions are already held, and by which domain. Read from libvirt's defined domains
 * (the source of truth), then extended with each plan's own choices while planning.
 *
 * <p>Immutable from the outside: no method changes what an instance reports. Inside, the versions
 * made by successive {@link #with} calls share one append-only store, and each version sees only
 * the entries up to its own number. Extending the newest version is therefore O(devices added)
 * instead of a copy of the whole map, which keeps planning a batch of n NICs linear; extending an
 * older version (a branch) copies once. Thread-safe.
 */
public final class DeviceUsage {
  private static final DeviceUsage EMPTY = new DeviceUsage(DeviceUsageStore.frozen(Map.of()), 0);

  private final DeviceUsageStore store;
  private final int version;
  /** {@link #holders()} built on first use; a benign race, the map is immutable. */
  private volatile Map<PciAddress, String> holdersView;

  private DeviceUsage(DeviceUsageStore store, int version) {
    this.store = store;
    this.version = version;
  }

  public static DeviceUsage empty() {
    return EMPTY;
  }

  /** Devices held by defined domains: {@code 0000:01:10.0 -> web1}. */
  public static DeviceUsage of(Map<PciAddress, String> holders) {
    Objects.requireNonNull(holders, "holders");
    holders.forEach((device, holder) -> {
      Objects.requireNonNull(device, "a device in holders");
      Objects.requireNonNull(holder, () -> "the holder of " + device);
    });
    return holders.isEmpty() ? EMPTY : new DeviceUsage(DeviceUsageStore.frozen(holders), 0);
  }

  /** Every held device and its holder, in the order they were recorded. */
  public Map<PciAddress, String> holders() {
    Map<PciAddress, String> view = holdersView;
    if (view == null) {
      view = Collections.unmodifiableMap(store.visibleHolders(version));
      holdersView = view;
    }
    return view;
  }

  public Optional<String> holder(PciAddress address) {
    DeviceUsageStore.Entry entry = store.visible(address, version);
    return entry == null ? Optional.empty() : Optional.of(entry.holder);
  }

  public boolean inUse(PciAddress address) {
    return store.visible(address, version) != null;
  }

  /**
   * True when {@code address} is held by a plan added with {@link #with} (a guest not started
   * yet), false when a domain of {@link #of} holds it or nobody does. A VF held by a defined domain
   * may be in a running guest, so its PF's VFs must not be re-created under it.
   */
  public boolean heldByPlan(PciAddress address) {
    DeviceUsageStore.Entry entry = store.visible(address, version);
    return entry != null && entry.planned;
  }

  /** How many devices are held. */
  public int size() {
    return store.visibleCount(version);
  }

  /**
   * How many of the PF's VFs (existing, or addresses that raising {@code sriov_numvfs} would
   * create) are held. O(1) for VFs that SR-IOV plans recorded under their PF, plus a look at the
   * few other held devices, so an SR-IOV provider can rank 64 PFs per NIC cheaply.
   */
  public int heldVfCount(SriovCapability pf) {
    return store.heldVfCount(pf, version);
  }

  /** This usage plus every device of {@code plan}, held by {@code plan.guestName()}. */
  public DeviceUsage with(GuestNetworkPlan plan) {
    Map<PciAddress, DeviceUsageStore.Entry> added = new LinkedHashMap<>();
    for (NicAssignment assignment : plan.assignments()) {
      addEntries(added, plan.guestName(), assignment);
    }
    return withEntries(added);
  }

  /** This usage plus one assignment of guest {@code guestName}: what planning adds per NIC. */
  public DeviceUsage with(String guestName, NicAssignment assignment) {
    Map<PciAddress, DeviceUsageStore.Entry> added = new LinkedHashMap<>();
    addEntries(added, guestName, assignment);
    return withEntries(added);
  }

  private static void addEntries(
      Map<PciAddress, DeviceUsageStore.Entry> added, String guestName, NicAssignment assignment) {
    Objects.requireNonNull(guestName, "guestName");
    PciAddress pf = assignment.parentDevice().orElse(null);
    for (PciAddress device : assignment.devices()) {
      added.put(device, new DeviceUsageStore.Entry(guestName, pf, true, 0));
    }
  }

  private DeviceUsage withEntries(Map<PciAddress, DeviceUsageStore.Entry> added) {
    if (added.isEmpty()) {
      return this;
    }
    int appended = store.tryAppend(version, added);
    if (appended >= 0) {
      return new DeviceUsage(store, appended);
    }
    DeviceUsageStore copy = store.copyVisible(version);
    return new DeviceUsage(copy, copy.append(added));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DeviceUsage && holders().equals(((DeviceUsage) other).holders());
  }

  @Override
  public int hashCode() {
    return holders().hashCode();
  }

  @Override
  public String toString() {
    return "DeviceUsage{holders=" + holders() + "}";
  }
}
