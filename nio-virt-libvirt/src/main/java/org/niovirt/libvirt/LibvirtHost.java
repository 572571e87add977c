package org.niovirt.libvirt;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.error.PlanningException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.libvirt.xml.DomainXml;
import org.niovirt.libvirt.xml.DomainXmlCodec;
import org.niovirt.libvirt.xml.RecordedNic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One libvirt connection and what nio-virt does with it: launch planned guests (prepare the host,
 * define, start, undo everything on failure), read the device ledger from the defined domains, and
 * the usual lifecycle operations. Thread-safe; launches are serialized host-wide.
 *
 * <pre>{@code
 * try (LibvirtHost host = LibvirtHost.connect(LibvirtHost.DEFAULT_URI)) {
 *   LaunchedGuest guest = host.launch(spec, NetworkIoPlanner.create(), inventory, request);
 * }
 * }</pre>
 */
public final class LibvirtHost implements AutoCloseable {
  /** libvirt's in-process test driver: no daemon, nothing real is started. */
  public static final String DEFAULT_URI = "test:///default";
  /** The production path: the system libvirtd with QEMU. */
  public static final String SYSTEM_URI = "qemu:///system";
  private static final Logger LOG = LoggerFactory.getLogger(LibvirtHost.class);

  private final Connect connect;
  private final String uri;
  private final LibvirtHostOptions options;
  private final LaunchLock lock;
  private final LaunchJournal journal;
  private final DomainLedger ledger;
  /** Domains this process destroyed (pulled the plug on), until they are undefined. */
  private final java.util.Set<String> endedUncleanly = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Map<Consumer<LifecycleEvent>, LifecycleListener> lifecycleListeners =
      Collections.synchronizedMap(new LinkedHashMap<>());

  private LibvirtHost(EventedConnect connect, String uri, LibvirtHostOptions options) {
    this.connect = connect;
    this.uri = uri;
    this.options = options;
    this.lock = options.launchLock().orElseGet(
        () -> new HostLock(options.lockFile(), options.lockTimeout(), options.lockWaitNotice()));
    this.journal = new LaunchJournal(options.stateDirectory().resolve("launches"));
    this.ledger = new DomainLedger(connect);
  }

  public static LibvirtHost connect(String uri) {
    return connect(uri, LibvirtHostOptions.defaults());
  }

  public static LibvirtHost connect(String uri, LibvirtHostOptions options) {
    if (uri == null || uri.isBlank()) {
      throw new InvalidInputException("uri", uri, "a libvirt URI such as " + DEFAULT_URI + " or " + SYSTEM_URI);
    }
    if (uri.startsWith("test:///") && !uri.equals(DEFAULT_URI)
        && !java.nio.file.Files.isRegularFile(Path.of(uri.substring("test://".length())))) {
      // libvirt would fail too, but only after libxml2 printed a warning on stderr.
      throw new InvalidInputException("uri", uri, "the test driver file does not exist; use "
          + DEFAULT_URI + " or test:///ABSOLUTE/PATH/node.xml");
    }
    LibvirtRuntime.ensureInitialized();
    try {
      return new LibvirtHost(new EventedConnect(uri), uri, options);
    } catch (LibvirtException e) {
      throw new LibvirtOperationException("connect to " + uri, e);
    }
  }

  public String uri() {
    return uri;
  }

  /** libvirt's in-process test driver ({@code test:///...}): nothing on the host is real. */
  public boolean isTestDriver() {
    return uri.startsWith("test:");
  }

  /** The underlying libvirt-java connection, for what this class does not cover. */
  public Connect connection() {
    return connect;
  }

  // ---------------------------------------------------------------- ledger

  /**
   * Which host PCI functions defined domains hold, running or not, from each domain's XML: libvirt
   * is the only record, so nothing is lost across restarts and nothing drifts. Kept current from
   * libvirt's events and checked against libvirt on every call ({@link DomainLedger}).
   */
  public DeviceUsage deviceUsage() {
    ledger.refresh();
    return ledger.usage();
  }

  /** The ledger of domains already listed: who holds each host function (the first one named). */
  public static DeviceUsage usageOf(List<GuestSummary> guests) {
    Map<PciAddress, String> holders = new LinkedHashMap<>();
    for (GuestSummary guest : guests) {
      for (PciAddress device : guest.hostDevices()) {
        String previous = holders.putIfAbsent(device, guest.name());
        if (previous != null) {
          LOG.warn("{} is in the XML of both {} and {}; counting it as {}'s", device, previous,
              guest.name(), previous);
        }
      }
    }
    return DeviceUsage.of(holders);
  }

  /** Every defined or running domain, by name. */
  public List<GuestSummary> list() {
    ledger.refresh();
    return ledger.guests();
  }

  /**
   * Calls {@code listener} (on libvirt's event thread; it must return quickly) whenever libvirt
   * reports that a domain was defined, changed, started, stopped or undefined, by anyone. Then
   * {@link #list()} shows the change. A connection without events never calls it: whoever needs
   * to stay current still looks now and then ({@link #list()} is cheap when nothing changed).
   * Close the result to stop.
   */
  public AutoCloseable onDomainChange(Runnable listener) {
    return ledger.onChange(listener);
  }

  /** The ledger brought up to date, for the launch's checks (under the host lock). */
  DomainLedger refreshedLedger() {
    ledger.refresh();
    return ledger;
  }

  /** The ledger with only the domains this process changed since the last refresh read again. */
  DomainLedger ledgerAfterReconcile() {
    ledger.readChanged();
    return ledger;
  }

  /** This process changed the domain: the ledger reads it again before it is next used. */
  void changed(UUID uuid) {
    ledger.changed(uuid);
  }

  // ---------------------------------------------------------------- launch

  /**
   * Everything a launch of {@code plan} would do, changing nothing: the domain XML (accelerator
   * resolved from this host's options) and the host actions. {@code plan}, {@code launch --dry-run}
   * and the dashboard show it; {@link #launch(LaunchPreview)} defines exactly this XML.
   */
  public LaunchPreview preview(GuestSpec spec, GuestNetworkPlan plan) {
    return LaunchPreview.of(spec, plan, options.kvmKnownToWork());
  }

  /** Plans {@code request} against the devices defined domains hold now, and previews it. */
  public LaunchPreview preview(GuestSpec spec, NetworkIoPlanner planner, HostInventory inventory,
      GuestNetworkRequest request) {
    requireMatching(spec, request);
    return preview(spec, planner.plan(inventory, request, deviceUsage()));
  }

  /**
   * Plans {@code request} against the devices in use right now and launches the guest, all under
   * the host-wide lock, so two launches never get the same device.
   *
   * @throws PlanningException when no plan fits, e.g. a pinned SR-IOV NIC and no free VF
   * @throws LibvirtOperationException when libvirt refuses to define or start the guest; every
   *     change of this launch is undone first
   */
  public LaunchedGuest launch(GuestSpec spec, NetworkIoPlanner planner, HostInventory inventory,
      GuestNetworkRequest request) {
    requireMatching(spec, request);
    return transaction().run(spec, usage -> preview(spec, planner.plan(inventory, request, usage)));
  }

  /** Launches with a plan made earlier, after checking that none of its devices was taken since. */
  public LaunchedGuest launch(GuestSpec spec, GuestNetworkPlan plan) {
    return launch(preview(spec, plan));
  }

  /**
   * Launches what {@code preview} showed: its domain XML is what libvirt is given, unchanged,
   * once none of its devices was taken since (else a {@link PlanningException} says which).
   */
  public LaunchedGuest launch(LaunchPreview preview) {
    GuestNetworkPlan plan = preview.plan();
    return transaction().run(preview.spec(), usage -> {
      for (PciAddress device : plan.devices()) {
        if (usage.inUse(device)) {
          throw new PlanningException("guest " + plan.guestName() + ": the plan gives it " + device
              + ", which domain " + usage.holder(device).get() + " holds now",
              "plan again against LibvirtHost.deviceUsage()");
        }
      }
      return preview;
    });
  }

  private static void requireMatching(GuestSpec spec, GuestNetworkRequest request) {
    if (!spec.name().equals(request.guestName())) {
      throw new InvalidInputException("request.guestName", request.guestName(),
          "must equal the guest spec's name '" + spec.name() + "'");
    }
    if (spec.vcpus() != request.vcpus()) {
      throw new InvalidInputException("request.vcpus", request.vcpus(),
          "must equal the guest spec's vcpus " + spec.vcpus() + " (multiqueue is sized from it)");
    }
  }

  private LaunchTransaction transaction() {
    return new LaunchTransaction(this, connect, options, lock, journal);
  }

  void removeNeverStartedDomain(Domain domain) {
    String name = call("read a domain's name", domain::getName);
    changed(UUID.fromString(call("read a domain's UUID", domain::getUUIDString)));
    if (call("check whether " + name + " runs", domain::isActive) == 1) {
      run("destroy domain " + name, domain::destroy);
    }
    run("undefine domain " + name, domain::undefine);
  }

  // ---------------------------------------------------------------- reconcile

  /**
   * Reverts what dead launchers left behind ({@link LaunchReconciler}): domains still marked
   * "launch pending" that do not run are undefined, and journal entries' VFs and links reverted
   * unless a domain uses them. Runs at the start of every launch; returns what it did.
   */
  @SuppressWarnings("try") // the lock is held for the body's duration, not used in it
  public List<String> reconcile() {
    try (LaunchLock.Hold held = lock.acquire()) {
      return reconcileLocked();
    }
  }

  List<String> reconcileLocked() {
    return new LaunchReconciler(this, connect, journal, options).reconcile();
  }

  /**
   * Host preparation for this connection's host: its root and {@code ip link} from the options
   * ({@code /} and this machine's by default, the remote host's for one reached over SSH).
   */
  public HostPreparer preparer() {
    return new HostPreparer(options.hostRoot().orElse(Path.of("/")), options.linkControl());
  }

  /**
   * Repairs what a reboot or another tool broke for the defined domains ({@link BootCheck}), under
   * the host lock: VFs re-created and links raised through {@code preparer}, moved VFs followed.
   * Nothing a running guest uses is touched. Returns what was done and what was refused.
   */
  @SuppressWarnings("try") // the lock is held for the body's duration, not used in it
  public RepairOutcome repair(HostInventory inventory, HostPreparer preparer) {
    try (LaunchLock.Hold held = lock.acquire()) {
      return BootRepair.repair(this, inventory, preparer);
    }
  }

  // ---------------------------------------------------------------- lifecycle

  public DomainState state(String name) {
    Domain domain = domain(name);
    return DomainState.of(call("read the state of " + name, domain::getInfo).state);
  }

  /** libvirt's current XML of the domain (live XML while it runs). */
  public String xml(String name) {
    Domain domain = domain(name);
    return call("read the XML of " + name, () -> domain.getXMLDesc(0));
  }

  public DomainXml domainXml(String name) {
    return DomainXmlCodec.unmarshal(xml(name));
  }

  /** Asks the guest to shut down (ACPI power button); returns at once. */
  public void stop(String name) {
    Domain domain = changing(name);
    run("shut down domain " + name, domain::shutdown);
  }

  /** Pulls the plug: the QEMU process is killed (its VFs get a function-level reset on release). */
  public void destroy(String name) {
    Domain domain = changing(name);
    run("destroy domain " + name, domain::destroy);
    endedUncleanly.add(name);
  }

  /**
   * Removes the definition; a running domain keeps running as a transient one until it stops.
   * The SR-IOV VFs nio-virt gave it that nobody holds any more get their MAC and VLAN cleared.
   */
  public void undefine(String name) {
    Domain domain = changing(name);
    // Read from the domain in hand, and only where a release will act on it.
    List<RecordedNic> vfs = !VfRelease.applies(this, options) ? List.of() : VfRelease.recordedVfs(
        DomainXmlCodec.unmarshal(call("read the XML of " + name, () -> domain.getXMLDesc(0))));
    run("undefine domain " + name, domain::undefine);
    VfRelease.release(this, options, name, vfs, endedUncleanly.remove(name));
  }

  private Domain domain(String name) {
    return call("look up domain " + name, () -> connect.domainLookupByName(name));
  }

  /** The domain, which the ledger reads again next time: the caller is about to change it. */
  private Domain changing(String name) {
    Domain domain = domain(name);
    changed(UUID.fromString(call("read the UUID of " + name, domain::getUUIDString)));
    return domain;
  }

  /**
   * Calls {@code listener} for every domain lifecycle event on this connection (from libvirt's
   * event thread). Close the result to stop.
   */
  public AutoCloseable addLifecycleListener(Consumer<LifecycleEvent> listener) {
    LifecycleListener bridge = (domain, event) -> {
      try {
        listener.accept(LifecycleEvent.builder()
            .domain(domain.getName())
            .type(String.valueOf(event.getType()))
            .detail(String.valueOf((Object) event.getDetail()))
            .build());
      } catch (LibvirtException | RuntimeException e) {
        LOG.warn("A lifecycle listener failed", e);
      }
      return 0;
    };
    run("register a lifecycle listener", () -> connect.addLifecycleListener(bridge));
    lifecycleListeners.put(listener, bridge);
    return () -> {
      LifecycleListener registered = lifecycleListeners.remove(listener);
      if (registered != null) {
        run("remove a lifecycle listener", () -> connect.removeLifecycleListener(registered));
      }
    };
  }

  @Override
  public void close() {
    ledger.close();
    try {
      call("close the connection to " + uri, connect::close);
    } finally {
      options.closeResources();
    }
  }

  // ---------------------------------------------------------------- libvirt calls

  @FunctionalInterface
  interface LibvirtCall<T> {
    T call() throws LibvirtException;
  }

  @FunctionalInterface
  interface LibvirtAction {
    void run() throws LibvirtException;
  }

  static <T> T call(String operation, LibvirtCall<T> call) {
    try {
      return call.call();
    } catch (LibvirtException e) {
      throw new LibvirtOperationException(operation, e);
    }
  }

  static void run(String operation, LibvirtAction action) {
    call(operation, () -> {
      action.run();
      return null;
    });
  }
}
