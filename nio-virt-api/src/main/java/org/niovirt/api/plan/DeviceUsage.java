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
  private static final DeviceUsage EMPTY = new DeviceUsage(Store.frozen(Map.of()), 0);

  private final Store store;
  private final int version;
  /** {@link #holders()} built on first use; a benign race, the map is immutable. */
  private volatile Map<PciAddress, String> holdersView;

  private DeviceUsage(Store store, int version) {
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
    return holders.isEmpty() ? EMPTY : new DeviceUsage(Store.frozen(holders), 0);
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
    Entry entry = store.visible(address, version);
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
    Entry entry = store.visible(address, version);
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
    Map<PciAddress, Entry> added = new LinkedHashMap<>();
    for (NicAssignment assignment : plan.assignments()) {
      addEntries(added, plan.guestName(), assignment);
    }
    return withEntries(added);
  }

  /** This usage plus one assignment of guest {@code guestName}: what planning adds per NIC. */
  public DeviceUsage with(String guestName, NicAssignment assignment) {
    Map<PciAddress, Entry> added = new LinkedHashMap<>();
    addEntries(added, guestName, assignment);
    return withEntries(added);
  }

  private static void addEntries(
      Map<PciAddress, Entry> added, String guestName, NicAssignment assignment) {
    Objects.requireNonNull(guestName, "guestName");
    PciAddress pf = assignment.parentDevice().orElse(null);
    for (PciAddress device : assignment.devices()) {
      added.put(device, new Entry(guestName, pf, true, 0));
    }
  }

  private DeviceUsage withEntries(Map<PciAddress, Entry> added) {
    if (added.isEmpty()) {
      return this;
    }
    synchronized (store) {
      if (store.canAppend(version, added.keySet())) {
        return new DeviceUsage(store, store.append(added));
      }
    }
    Store copy = store.copyVisible(version);
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

  /**
   * One held device. {@code physicalFunction} is set for VFs that an SR-IOV plan took (counted
   * per PF); {@code version} is the store version that added it.
   */
  private static final class Entry {
    final String holder;
    final PciAddress physicalFunction;
    final boolean planned;
    final int version;

    Entry(String holder, PciAddress physicalFunction, boolean planned, int version) {
      this.holder = holder;
      this.physicalFunction = physicalFunction;
      this.planned = planned;
      this.version = version;
    }

    Entry at(int newVersion) {
      return new Entry(holder, physicalFunction, planned, newVersion);
    }
  }

  /** Append-only: an entry, once stored, never changes, so older versions stay what they were. */
  private static final class Store {
    /** Stores made by {@link #of} belong to the caller and are never appended to. */
    private final boolean appendable;
    private final Map<PciAddress, Entry> entries = new LinkedHashMap<>();
    /** Held devices not counted per PF: defined domains' devices and passthrough functions. */
    private final Set<PciAddress> uncounted = new LinkedHashSet<>();
    /** Per PF, how many entries (of the newest version) are VFs recorded under it. */
    private final Map<PciAddress, Integer> vfCountByPf = new HashMap<>();
    private int latest;

    private Store(boolean appendable) {
      this.appendable = appendable;
    }

    static Store frozen(Map<PciAddress, String> holders) {
      Store store = new Store(false);
      holders.forEach((device, holder) -> store.put(device, new Entry(holder, null, false, 0)));
      return store;
    }

    synchronized Entry visible(PciAddress address, int version) {
      Entry entry = entries.get(address);
      return entry != null && entry.version <= version ? entry : null;
    }

    synchronized Map<PciAddress, String> visibleHolders(int version) {
      Map<PciAddress, String> holders = new LinkedHashMap<>();
      entries.forEach((device, entry) -> {
        if (entry.version <= version) {
          holders.put(device, entry.holder);
        }
      });
      return holders;
    }

    synchronized int visibleCount(int version) {
      if (version == latest) {
        return entries.size();
      }
      return (int) entries.values().stream().filter(e -> e.version <= version).count();
    }

    synchronized int heldVfCount(SriovCapability pf, int version) {
      Set<PciAddress> vfAddresses = pf.allVfAddresses();
      int count = 0;
      if (version == latest) {
        count = vfCountByPf.getOrDefault(pf.physicalFunction(), 0);
      } else {
        for (Entry entry : entries.values()) {
          if (entry.version <= version && pf.physicalFunction().equals(entry.physicalFunction)) {
            count++;
          }
        }
      }
      // Iterate whichever side is smaller: usually a handful of uncounted devices, often none.
      if (uncounted.isEmpty()) {
        return count;
      }
      if (uncounted.size() <= vfAddresses.size()) {
        for (PciAddress device : uncounted) {
          if (entries.get(device).version <= version && vfAddresses.contains(device)) {
            count++;
          }
        }
      } else {
        for (PciAddress device : vfAddresses) {
          Entry entry = entries.get(device);
          if (entry != null && entry.version <= version && entry.physicalFunction == null) {
            count++;
          }
        }
      }
      return count;
    }

    /** Appending keeps old versions intact only at the newest version and for new devices. */
    boolean canAppend(int version, Set<PciAddress> devices) {
      if (!appendable || version != latest) {
        return false;
      }
      for (PciAddress device : devices) {
        if (entries.containsKey(device)) {
          return false;
        }
      }
      return true;
    }

    /** Adds entries as the next version (callers hold the lock or own the store); returns it. */
    synchronized int append(Map<PciAddress, Entry> added) {
      int next = latest + 1;
      added.forEach((device, entry) -> put(device, entry.at(next)));
      latest = next;
      return next;
    }

    synchronized Store copyVisible(int version) {
      Store copy = new Store(true);
      entries.forEach((device, entry) -> {
        if (entry.version <= version) {
          copy.put(device, entry.at(0));
        }
      });
      return copy;
    }

    /** Records or replaces one entry, keeping the per-PF counts and the uncounted set in step. */
    private void put(PciAddress device, Entry entry) {
      Entry previous = entries.put(device, entry);
      if (previous != null) {
        if (previous.physicalFunction != null) {
          vfCountByPf.merge(previous.physicalFunction, -1, Integer::sum);
        } else {
          uncounted.remove(device);
        }
      }
      if (entry.physicalFunction != null) {
        vfCountByPf.merge(entry.physicalFunction, 1, Integer::sum);
      } else {
        uncounted.add(device);
      }
    }
  }
}
