package org.niovirt.api.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;

/**
 * The append-only store behind {@link DeviceUsage}'s versions: an entry, once stored, never
 * changes, so older versions stay what they were. Planning asks it who holds a device and how many
 * VFs of a PF are held for every candidate of every NIC, so those reads take no lock: entries sit
 * in a concurrent map and carry the version that added them, and the per-PF counts are read
 * optimistically, validated against the writers' stamp.
 */
final class DeviceUsageStore {
  /**
   * One held device. {@code physicalFunction} is set for VFs that an SR-IOV plan took (counted
   * per PF); {@code version} is the store version that added it.
   */
  static final class Entry {
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

  /** Stores made by {@link #frozen} belong to the caller and are never appended to. */
  private final boolean appendable;
  private final StampedLock lock = new StampedLock();
  private final Map<PciAddress, Entry> entries = new ConcurrentHashMap<>();
  /** Devices in the order they were stored (guarded by the lock). */
  private final List<PciAddress> order = new ArrayList<>();
  /** Held devices not counted per PF: defined domains' devices and passthrough functions. */
  private final Set<PciAddress> uncounted = new LinkedHashSet<>();
  /** Per PF, how many entries (of the newest version) are VFs recorded under it. */
  private final Map<PciAddress, Integer> vfCountByPf = new ConcurrentHashMap<>();
  private volatile int latest;

  private DeviceUsageStore(boolean appendable) {
    this.appendable = appendable;
  }

  static DeviceUsageStore frozen(Map<PciAddress, String> holders) {
    DeviceUsageStore store = new DeviceUsageStore(false);
    holders.forEach((device, holder) -> store.put(device, new Entry(holder, null, false, 0)));
    return store;
  }

  /** The entry of {@code address} as of {@code version}, or null. Lock-free. */
  Entry visible(PciAddress address, int version) {
    Entry entry = entries.get(address);
    return entry != null && entry.version <= version ? entry : null;
  }

  Map<PciAddress, String> visibleHolders(int version) {
    long stamp = lock.readLock();
    try {
      Map<PciAddress, String> holders = new LinkedHashMap<>();
      for (PciAddress device : order) {
        Entry entry = entries.get(device);
        if (entry.version <= version) {
          holders.put(device, entry.holder);
        }
      }
      return holders;
    } finally {
      lock.unlockRead(stamp);
    }
  }

  int visibleCount(int version) {
    long stamp = lock.readLock();
    try {
      if (version == latest) {
        return entries.size();
      }
      return (int) entries.values().stream().filter(e -> e.version <= version).count();
    } finally {
      lock.unlockRead(stamp);
    }
  }

  int heldVfCount(SriovCapability pf, int version) {
    // The common case, read without a lock: the newest version and no uncounted device.
    long stamp = lock.tryOptimisticRead();
    if (stamp != 0 && version == latest && uncounted.isEmpty()) {
      int count = vfCountByPf.getOrDefault(pf.physicalFunction(), 0);
      if (lock.validate(stamp)) {
        return count;
      }
    }
    stamp = lock.readLock();
    try {
      return heldVfCountLocked(pf, version);
    } finally {
      lock.unlockRead(stamp);
    }
  }

  private int heldVfCountLocked(SriovCapability pf, int version) {
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
    if (uncounted.isEmpty()) {
      return count;
    }
    // Iterate whichever side is smaller: usually a handful of uncounted devices, often none.
    Set<PciAddress> vfAddresses = pf.allVfAddresses();
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

  /**
   * Adds {@code added} as the next version when {@code version} is the newest and none of its
   * devices is stored yet (so older versions stay intact); returns that version, or -1.
   */
  int tryAppend(int version, Map<PciAddress, Entry> added) {
    if (!appendable) {
      return -1;
    }
    long stamp = lock.writeLock();
    try {
      if (version != latest) {
        return -1;
      }
      for (PciAddress device : added.keySet()) {
        if (entries.containsKey(device)) {
          return -1;
        }
      }
      return append(added);
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  DeviceUsageStore copyVisible(int version) {
    DeviceUsageStore copy = new DeviceUsageStore(true);
    long stamp = lock.readLock();
    try {
      for (PciAddress device : order) {
        Entry entry = entries.get(device);
        if (entry.version <= version) {
          copy.put(device, entry.at(0));
        }
      }
    } finally {
      lock.unlockRead(stamp);
    }
    return copy;
  }

  /** Adds entries as the next version (callers hold the write lock or own the store). */
  int append(Map<PciAddress, Entry> added) {
    int next = latest + 1;
    added.forEach((device, entry) -> put(device, entry.at(next)));
    latest = next;
    return next;
  }

  /** Records or replaces one entry, keeping the order, per-PF counts and uncounted set in step. */
  private void put(PciAddress device, Entry entry) {
    Entry previous = entries.put(device, entry);
    if (previous != null) {
      if (previous.physicalFunction != null) {
        vfCountByPf.merge(previous.physicalFunction, -1, Integer::sum);
      } else {
        uncounted.remove(device);
      }
    } else {
      order.add(device);
    }
    if (entry.physicalFunction != null) {
      vfCountByPf.merge(entry.physicalFunction, 1, Integer::sum);
    } else {
      uncounted.add(device);
    }
  }
}
