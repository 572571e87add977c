package org.niovirt.libvirt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.error.NioVirtException;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.libvirt.xml.DomainXml;
import org.niovirt.libvirt.xml.DomainXmlCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every defined or running domain with its parsed XML, kept current from libvirt's lifecycle
 * events instead of re-reading every domain for every launch. libvirt stays the record: an event
 * only says which domain to read again, and each {@link #refresh()} first checks the cheap facts
 * an event could have missed, so a missed or late event costs a re-read, never a wrong answer:
 * <ul>
 *   <li>it asks libvirt how many domains exist (which also makes the client take in every event
 *       sent before the answer) and waits until those events were dispatched ({@link EventBarrier});
 *   <li>a count that differs from the ledger's means a define or undefine went unseen: all is read;
 *   <li>everything is read again when events cannot be received, and every
 *       {@link #FULL_READ_INTERVAL_NANOS} anyway, for changes libvirt reports by no lifecycle
 *       event (a device hot-plugged into a running domain).
 * </ul>
 */
final class DomainLedger implements AutoCloseable {
  static final long FULL_READ_INTERVAL_NANOS = 60_000_000_000L;
  private static final long BARRIER_TIMEOUT_MILLIS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(DomainLedger.class);

  private final Connect connect;
  /** Domains an event named since they were last read; filled by libvirt's event thread. */
  private final Map<UUID, Pending> dirty = new ConcurrentHashMap<>();

  /**
   * What the events since a domain was last read say. A domain stopped and then undefined is gone
   * for sure (no look-up needed); one only undefined may still run as a transient domain.
   */
  enum Pending {
    CHANGED, STOPPED, UNDEFINED, GONE;

    /** virDomainEventType values. */
    private static final int EVENT_UNDEFINED = 1;
    private static final int EVENT_STOPPED = 5;

    static Pending first(int event) {
      return event == EVENT_STOPPED ? STOPPED : event == EVENT_UNDEFINED ? UNDEFINED : CHANGED;
    }

    Pending then(int event) {
      if (event == EVENT_UNDEFINED && this == STOPPED) {
        return GONE;
      }
      return event == EVENT_STOPPED ? STOPPED : CHANGED;
    }
  }
  private final Map<UUID, GuestSummary> guests = new HashMap<>();
  /** Indexes kept with each put and remove, so a launch's checks do not grow with the domains. */
  private final Map<String, UUID> byName = new HashMap<>();
  private final Map<String, Set<String>> macHolders = new HashMap<>();
  private final Map<UUID, GuestSummary> holdingDevices = new HashMap<>();
  private final Map<UUID, GuestSummary> unfinished = new HashMap<>();
  private DomainEvents events;
  /** Told that some domain changed (from libvirt's event thread); they must not block. */
  private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean eventsArrive;
  /** False until the first read, and whenever a change cannot be pinned on one domain. */
  private volatile boolean complete;
  private long lastFullRead;
  /** Built on demand from the indexes, dropped when what they cover changes. */
  private List<GuestSummary> sorted;
  private DeviceUsage usage;

  DomainLedger(EventedConnect connect) {
    this.connect = connect;
    try {
      // An event whose domain cannot be told: read them all next time.
      events = DomainEvents.register(connect.pointer(), this::eventNamed, this::eventUnnamed);
      eventsArrive = true;
    } catch (RuntimeException e) {
      LOG.info("No domain events from this connection ({}); every launch reads all domains",
          e.getMessage());
    }
  }

  private void eventNamed(UUID uuid, int event) {
    dirty.compute(uuid, (key, pending) -> pending == null ? Pending.first(event) : pending.then(event));
    tellListeners();
  }

  private void eventUnnamed() {
    forget();
    tellListeners();
  }

  private void tellListeners() {
    for (Runnable listener : changeListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.warn("A domain change listener failed", e);
      }
    }
  }

  /** Calls {@code listener} whenever libvirt reports a domain change; close the result to stop. */
  AutoCloseable onChange(Runnable listener) {
    changeListeners.add(listener);
    return () -> changeListeners.remove(listener);
  }

  /** The next snapshot reads this domain again (used right after this process changed it). */
  void changed(UUID uuid) {
    dirty.put(uuid, Pending.CHANGED);
  }

  /** The next snapshot reads every domain again. Not synchronized: the event thread calls it. */
  void forget() {
    complete = false;
  }

  /**
   * Brings the ledger up to libvirt's present: what events named is read again, and everything
   * when a count disagrees, events do not arrive or the periodic full read is due.
   */
  synchronized void refresh() {
    boolean due = System.nanoTime() - lastFullRead > FULL_READ_INTERVAL_NANOS;
    if (!complete || !eventsArrive || due) {
      readAll();
      return;
    }
    int count = LibvirtHost.call("count domains", () -> connect.numOfDomains() + connect.numOfDefinedDomains());
    if (Thread.currentThread().getName().equals(LibvirtRuntime.EVENT_THREAD)) {
      readAll(); // a listener asking: the loop cannot pass a barrier while it runs this
    } else if (!EventBarrier.pass(BARRIER_TIMEOUT_MILLIS)) {
      LOG.warn("libvirt's event loop did not answer within {} ms; reading every domain",
          BARRIER_TIMEOUT_MILLIS);
      readAll();
    } else {
      readDirty();
      if (count != guests.size()) {
        LOG.debug("libvirt counts {} domains, the ledger {}: reading all", count, guests.size());
        readAll();
      }
    }
  }

  /**
   * Reads again only what events and this process named since the last refresh, without asking
   * libvirt for the count: for a caller that refreshed a moment ago, under the same host lock.
   */
  synchronized void readChanged() {
    if (!complete) {
      readAll();
    } else {
      readDirty();
    }
  }

  /** Every domain as of the last refresh, by name. */
  synchronized List<GuestSummary> guests() {
    if (sorted == null) {
      List<GuestSummary> all = new ArrayList<>(guests.values());
      all.sort(Comparator.comparing(GuestSummary::name));
      sorted = List.copyOf(all);
    }
    return sorted;
  }

  /** Who holds each host function, as of the last refresh; built from the holders alone. */
  synchronized DeviceUsage usage() {
    if (usage == null) {
      List<GuestSummary> holders = new ArrayList<>(holdingDevices.values());
      holders.sort(Comparator.comparing(GuestSummary::name));
      usage = LibvirtHost.usageOf(holders);
    }
    return usage;
  }

  synchronized boolean nameTaken(String name) {
    return byName.containsKey(name);
  }

  /** A domain using {@code mac} (any case), if one does. */
  synchronized Optional<String> macHolder(String mac) {
    return macHolders.getOrDefault(mac.toLowerCase(Locale.ROOT), Set.of()).stream().sorted().findFirst();
  }

  /** Domains still marked "launch pending" ({@link DomainXml#launchPendingBy()}). */
  synchronized List<GuestSummary> unfinished() {
    return List.copyOf(unfinished.values());
  }

  private void readAll() {
    dirty.clear(); // events from here on name changes this read may not see: kept
    Domain[] domains = LibvirtHost.call("list domains", () -> connect.listAllDomains(0));
    for (UUID uuid : List.copyOf(guests.keySet())) {
      remove(uuid);
    }
    for (Domain domain : domains) {
      GuestSummary guest = read(domain);
      if (guest != null) {
        put(guest);
      }
    }
    complete = true;
    lastFullRead = System.nanoTime();
  }

  private void readDirty() {
    for (UUID uuid : List.copyOf(dirty.keySet())) {
      Pending pending = dirty.remove(uuid);
      GuestSummary cached = guests.get(uuid);
      remove(uuid);
      boolean gone = pending == Pending.GONE
          || (pending == Pending.UNDEFINED && cached != null && !cached.state().active());
      GuestSummary guest = gone ? null : lookup(uuid);
      if (guest != null) {
        put(guest);
      }
    }
  }

  private void put(GuestSummary guest) {
    UUID uuid = guest.uuid();
    remove(uuid);
    guests.put(uuid, guest);
    byName.put(guest.name(), uuid);
    guest.domainXml().devices().interfaces().forEach(nic -> nic.mac().ifPresent(mac -> macHolders
        .computeIfAbsent(mac.toLowerCase(Locale.ROOT), key -> new HashSet<>()).add(guest.name())));
    if (!guest.hostDevices().isEmpty()) {
      holdingDevices.put(uuid, guest);
      usage = null;
    }
    if (guest.domainXml().launchPendingBy().isPresent()) {
      unfinished.put(uuid, guest);
    }
    sorted = null;
  }

  private void remove(UUID uuid) {
    GuestSummary old = guests.remove(uuid);
    if (old == null) {
      return;
    }
    byName.remove(old.name(), uuid);
    old.domainXml().devices().interfaces().forEach(nic -> nic.mac().ifPresent(mac -> {
      String key = mac.toLowerCase(Locale.ROOT);
      Set<String> holders = macHolders.get(key);
      if (holders != null && holders.remove(old.name()) && holders.isEmpty()) {
        macHolders.remove(key);
      }
    }));
    if (holdingDevices.remove(uuid) != null) {
      usage = null;
    }
    unfinished.remove(uuid);
    sorted = null;
  }

  private GuestSummary lookup(UUID uuid) {
    try {
      return read(connect.domainLookupByUUID(uuid));
    } catch (LibvirtException e) {
      LibvirtOperationException error = new LibvirtOperationException("look up domain " + uuid, e);
      if (error.isNoDomain()) {
        return null;
      }
      throw error;
    }
  }

  /** One domain as a summary, or null when it was undefined while we read it. */
  private static GuestSummary read(Domain domain) {
    try {
      DomainXml xml = parseDomainXml(domain);
      return GuestSummary.builder()
          .name(xml.name())
          .uuid(UUID.fromString(domain.getUUIDString()))
          .state(DomainState.of(domain.getInfo().state))
          .persistent(domain.isPersistent() == 1)
          .domainXml(xml)
          .build();
    } catch (LibvirtException e) {
      LibvirtOperationException error = new LibvirtOperationException("read a domain", e);
      if (error.isNoDomain()) {
        return null;
      }
      throw error;
    }
  }

  /** A domain whose XML we cannot read must stop the ledger: skipping it could give its devices twice. */
  private static DomainXml parseDomainXml(Domain domain) throws LibvirtException {
    String xml = domain.getXMLDesc(0);
    try {
      return DomainXmlCodec.unmarshal(xml);
    } catch (InvalidInputException e) {
      throw new NioVirtException("cannot read the XML of domain " + domain.getName()
          + ", so the devices it holds are unknown: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    eventsArrive = false; // read everything from now on, should anyone still ask
    if (events != null) {
      events.close();
    }
  }
}
