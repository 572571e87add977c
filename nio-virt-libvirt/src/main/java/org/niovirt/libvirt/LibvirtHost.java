package org.niovirt.libvirt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.event.LifecycleListener;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.error.NioVirtException;
import org.niovirt.api.error.PlanningException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.libvirt.xml.DomainXml;
import org.niovirt.libvirt.xml.DomainXmlCodec;
import org.niovirt.libvirt.xml.LaunchMark;
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
  private final HostLock lock;
  private final LaunchJournal journal;
  private final Map<Consumer<LifecycleEvent>, LifecycleListener> lifecycleListeners =
      Collections.synchronizedMap(new LinkedHashMap<>());

  private LibvirtHost(Connect connect, String uri, LibvirtHostOptions options) {
    this.connect = connect;
    this.uri = uri;
    this.options = options;
    this.lock = new HostLock(options.lockFile(), options.lockTimeout(), options.lockWaitNotice());
    this.journal = new LaunchJournal(options.stateDirectory().resolve("launches"));
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
      return new LibvirtHost(new Connect(uri), uri, options);
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
   * Which host PCI functions defined domains hold, running or not, read from each domain's XML
   * now: libvirt is the only record, so nothing is lost across restarts and nothing drifts.
   */
  public DeviceUsage deviceUsage() {
    return usageOf(list());
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

  /** Every defined or running domain. Domains undefined while we read are left out. */
  public List<GuestSummary> list() {
    Domain[] domains = call("list domains", () -> connect.listAllDomains(0));
    List<GuestSummary> guests = new ArrayList<>();
    for (Domain domain : domains) {
      try {
        DomainXml xml = parseDomainXml(domain);
        guests.add(GuestSummary.builder()
            .name(xml.name())
            .uuid(UUID.fromString(domain.getUUIDString()))
            .state(DomainState.of(domain.getInfo().state))
            .persistent(domain.isPersistent() == 1)
            .domainXml(xml)
            .build());
      } catch (LibvirtException e) {
        LibvirtOperationException error = new LibvirtOperationException("read a domain", e);
        if (!error.isNoDomain()) {
          throw error;
        }
      }
    }
    return guests;
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

  // ---------------------------------------------------------------- launch

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
    if (!spec.name().equals(request.guestName())) {
      throw new InvalidInputException("request.guestName", request.guestName(),
          "must equal the guest spec's name '" + spec.name() + "'");
    }
    if (spec.vcpus() != request.vcpus()) {
      throw new InvalidInputException("request.vcpus", request.vcpus(),
          "must equal the guest spec's vcpus " + spec.vcpus() + " (multiqueue is sized from it)");
    }
    return launchLocked(spec, usage -> planner.plan(inventory, request, usage));
  }

  /** Launches with a plan made earlier, after checking that none of its devices was taken since. */
  public LaunchedGuest launch(GuestSpec spec, GuestNetworkPlan plan) {
    return launchLocked(spec, usage -> {
      for (PciAddress device : plan.devices()) {
        if (usage.inUse(device)) {
          throw new PlanningException("guest " + plan.guestName() + ": the plan gives it " + device
              + ", which domain " + usage.holder(device).get() + " holds now",
              "plan again against LibvirtHost.deviceUsage()");
        }
      }
      return plan;
    });
  }

  @SuppressWarnings("try") // the lock is held for the body's duration, not used in it
  private LaunchedGuest launchLocked(GuestSpec spec, Function<DeviceUsage, GuestNetworkPlan> planning) {
    try (HostLock.Held held = lock.acquire()) {
      reconcileLocked();
      phase(spec, LaunchPhase.LOCKED);
      requireNameFree(spec.name());
      List<GuestSummary> guests = list();
      DeviceUsage usage = usageOf(guests);
      GuestNetworkPlan plan = planning.apply(usage);
      requireMacsFree(plan, guests);
      phase(spec, LaunchPhase.PLANNED);
      AcceleratorChoice accelerator = AcceleratorChoice.resolve(spec.accelerator(), options.kvmKnownToWork());
      LOG.info("Guest {}: accelerator {} ({})", spec.name(), accelerator.chosen(), accelerator.reason());
      String xml = DomainXmlWriter.write(spec, plan, accelerator);
      HostPreparer preparer = preparer(plan);
      List<HostChange> changes = preparer == null ? List.of() : preparer.changesFor(plan.hostActions());
      LaunchJournal.Entry entry =
          journal.record(spec.name(), spec.uuid(), uri, preparer == null ? Path.of("/") : preparer.hostRoot(), changes);
      phase(spec, LaunchPhase.JOURNALED);
      return start(spec, plan, accelerator, xml, preparer, changes, usage, entry);
    }
  }

  /** Prepares, defines and starts; on any failure undoes all of it before rethrowing. */
  private LaunchedGuest start(GuestSpec spec, GuestNetworkPlan plan, AcceleratorChoice accelerator,
      String xml, HostPreparer preparer, List<HostChange> changes, DeviceUsage usage,
      LaunchJournal.Entry entry) {
    List<HostChange> applied = new ArrayList<>();
    Domain domain = null;
    try {
      for (HostChange change : changes) {
        applied.add(change);
        preparer.apply(change, usage);
      }
      phase(spec, LaunchPhase.HOST_PREPARED);
      // Durably noted before each call: if the launcher dies inside it, libvirtd may finish it.
      entry = journal.advance(entry, LaunchPhase.DEFINING.name());
      phase(spec, LaunchPhase.DEFINING);
      String marked = LaunchMark.mark(xml, ProcessHandle.current().pid());
      domain = call("define domain " + spec.name(), () -> connect.domainDefineXML(marked));
      phase(spec, LaunchPhase.DEFINED);
      entry = journal.advance(entry, LaunchPhase.STARTING.name());
      phase(spec, LaunchPhase.STARTING);
      Domain defined = domain;
      call("start domain " + spec.name(), defined::create);
      LaunchReconciler.clearMark(defined);
    } catch (RuntimeException failure) {
      if (rollBack(spec, domain, preparer, applied, failure)) {
        deleteJournalEntry(entry, failure);
      }
      phase(spec, LaunchPhase.ROLLED_BACK);
      throw failure;
    }
    // The guest runs: nothing from here on may undo it. A journal entry left behind is harmless,
    // the next reconcile finds the domain running and only deletes the entry.
    try {
      phase(spec, LaunchPhase.STARTED);
    } catch (RuntimeException e) {
      LOG.warn("A launch listener failed after {} started; the guest keeps running", spec.name(), e);
    }
    deleteJournalEntry(entry, null);
    return LaunchedGuest.builder().name(spec.name()).uuid(spec.uuid()).plan(plan)
        .accelerator(accelerator).domainXml(xml).hostChanges(changes).state(stateAfterStart(domain))
        .build();
  }

  private DomainState stateAfterStart(Domain domain) {
    try {
      return DomainState.of(domain.getInfo().state);
    } catch (LibvirtException e) {
      LOG.warn("Started guest, but cannot read its state: {}", e.getError());
      return DomainState.NO_STATE;
    }
  }

  private void deleteJournalEntry(LaunchJournal.Entry entry, RuntimeException failure) {
    try {
      journal.delete(entry);
    } catch (RuntimeException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      } else {
        LOG.warn("{}", e.getMessage());
      }
    }
  }

  /**
   * Undoes a failed launch; returns false when something could not be undone, so the journal entry
   * stays and the next launch tries again.
   */
  private boolean rollBack(GuestSpec spec, Domain domain, HostPreparer preparer, List<HostChange> applied,
      RuntimeException failure) {
    LOG.warn("Launch of {} failed ({}); undoing it", spec.name(), failure.getMessage());
    boolean complete = true;
    if (domain != null) {
      try {
        removeNeverStartedDomain(domain);
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
        complete = false;
      }
    }
    if (applied.isEmpty()) {
      return complete;
    }
    DeviceUsage usage;
    try {
      usage = deviceUsage();
    } catch (RuntimeException e) {
      // Without the ledger a VF might be removed under a guest: leave it to the next reconcile.
      failure.addSuppressed(e);
      return false;
    }
    for (int i = applied.size() - 1; i >= 0; i--) {
      try {
        LOG.info("Undo for {}: {}", spec.name(), preparer.revert(applied.get(i), usage));
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
        complete = false;
      }
    }
    return complete;
  }

  void removeNeverStartedDomain(Domain domain) {
    String name = call("read a domain's name", domain::getName);
    if (call("check whether " + name + " runs", domain::isActive) == 1) {
      run("destroy domain " + name, domain::destroy);
    }
    run("undefine domain " + name, domain::undefine);
  }

  /** The preparer for {@code plan}, or null when it changes nothing on the host. */
  private HostPreparer preparer(GuestNetworkPlan plan) {
    if (plan.hostActions().isEmpty()) {
      return null;
    }
    if (options.hostRoot().isEmpty() && isTestDriver()) {
      throw new HostPreparationException("guest " + plan.guestName() + " needs host changes ("
          + plan.hostActions().get(0).describe() + ") but " + uri + " is libvirt's test driver,"
          + " whose devices are not this host's", "give LibvirtHostOptions.hostRoot a copied"
          + " sysfs tree, or plan with VFs that exist already on PFs whose link is up", null);
    }
    return new HostPreparer(options.hostRoot().orElse(Path.of("/")), options.linkControl());
  }

  /** Two NICs with one MAC on a network break both: a requested MAC no other domain may use. */
  private void requireMacsFree(GuestNetworkPlan plan, List<GuestSummary> guests) {
    for (var nic : plan.assignments()) {
      if (nic.mac().isEmpty()) {
        continue;
      }
      String mac = nic.mac().get().value();
      for (GuestSummary guest : guests) {
        boolean taken = guest.domainXml().devices().interfaces().stream()
            .anyMatch(i -> i.mac().filter(mac::equalsIgnoreCase).isPresent());
        if (taken) {
          throw new InvalidInputException("mac", mac, "domain " + guest.name() + " on " + uri
              + " already uses this MAC; choose another or leave it to libvirt");
        }
      }
    }
  }

  private void requireNameFree(String name) {
    try {
      connect.domainLookupByName(name);
    } catch (LibvirtException e) {
      LibvirtOperationException error = new LibvirtOperationException("look up domain " + name, e);
      if (error.isNoDomain()) {
        return;
      }
      throw error;
    }
    throw new InvalidInputException("name", name, "a domain of that name is already defined on "
        + uri + "; choose another name or undefine it");
  }

  private void phase(GuestSpec spec, LaunchPhase phase) {
    options.launchListener().reached(spec.name(), phase);
  }

  // ---------------------------------------------------------------- reconcile

  /**
   * Reverts what dead launchers left behind ({@link LaunchReconciler}): domains still marked
   * "launch pending" that do not run are undefined, and journal entries' VFs and links reverted
   * unless a domain uses them. Runs at the start of every launch; returns what it did.
   */
  @SuppressWarnings("try") // the lock is held for the body's duration, not used in it
  public List<String> reconcile() {
    try (HostLock.Held held = lock.acquire()) {
      return reconcileLocked();
    }
  }

  private List<String> reconcileLocked() {
    return new LaunchReconciler(this, connect, journal, options).reconcile();
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
    Domain domain = domain(name);
    run("shut down domain " + name, domain::shutdown);
  }

  /** Pulls the plug: the QEMU process is killed. */
  public void destroy(String name) {
    Domain domain = domain(name);
    run("destroy domain " + name, domain::destroy);
  }

  /** Removes the definition; a running domain keeps running as a transient one until it stops. */
  public void undefine(String name) {
    Domain domain = domain(name);
    run("undefine domain " + name, domain::undefine);
  }

  private Domain domain(String name) {
    return call("look up domain " + name, () -> connect.domainLookupByName(name));
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
    call("close the connection to " + uri, connect::close);
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
