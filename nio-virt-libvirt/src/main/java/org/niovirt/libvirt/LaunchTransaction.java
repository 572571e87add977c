package org.niovirt.libvirt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One launch, all or nothing, under the host-wide lock: reconcile what dead launchers left, check
 * the name, MACs and devices against libvirt's domains, journal, prepare the host, define exactly
 * the previewed XML (marked "launch pending"), start, clear the mark; on any failure undo it all.
 */
final class LaunchTransaction {
  private static final Logger LOG = LoggerFactory.getLogger(LaunchTransaction.class);

  private final LibvirtHost host;
  private final Connect connect;
  private final LibvirtHostOptions options;
  private final LaunchLock lock;
  private final LaunchJournal journal;

  LaunchTransaction(LibvirtHost host, Connect connect, LibvirtHostOptions options, LaunchLock lock,
      LaunchJournal journal) {
    this.host = host;
    this.connect = connect;
    this.options = options;
    this.lock = lock;
    this.journal = journal;
  }

  @SuppressWarnings("try") // the lock is held for the body's duration, not used in it
  LaunchedGuest run(GuestSpec spec, Function<DeviceUsage, LaunchPreview> previewing) {
    try (LaunchLock.Hold held = lock.acquire()) {
      host.reconcileLocked();
      phase(spec, LaunchPhase.LOCKED);
      // The reconcile just brought the ledger up to date: only what it changed is read again.
      DomainLedger ledger = host.ledgerAfterReconcile();
      requireNameFree(spec.name(), ledger);
      DeviceUsage usage = ledger.usage();
      LaunchPreview preview = previewing.apply(usage);
      GuestNetworkPlan plan = preview.plan();
      requireMacsFree(plan, ledger);
      phase(spec, LaunchPhase.PLANNED);
      AcceleratorChoice accelerator = preview.accelerator();
      LOG.info("Guest {}: accelerator {} ({})", spec.name(), accelerator.chosen(), accelerator.reason());
      HostPreparer preparer = preparer(plan);
      List<HostChange> changes = preparer == null ? List.of() : preparer.changesFor(plan.hostActions());
      // Only host changes need the journal: a domain left by a crash carries its own launch mark,
      // which libvirt keeps durably, so a launch that changes nothing on the host writes no file.
      LaunchJournal.Entry entry = changes.isEmpty() ? null
          : journal.record(spec.name(), spec.uuid(), host.uri(), preparer.hostRoot(), changes);
      phase(spec, LaunchPhase.JOURNALED);
      return start(spec, preview, accelerator, preparer, changes, usage, entry);
    }
  }

  /** Prepares, defines and starts; on any failure undoes all of it before rethrowing. */
  private LaunchedGuest start(GuestSpec spec, LaunchPreview preview, AcceleratorChoice accelerator,
      HostPreparer preparer, List<HostChange> changes, DeviceUsage usage, LaunchJournal.Entry entry) {
    GuestNetworkPlan plan = preview.plan();
    List<HostChange> applied = new ArrayList<>();
    Domain domain = null;
    try {
      for (HostChange change : changes) {
        applied.add(change);
        preparer.apply(change, usage);
      }
      phase(spec, LaunchPhase.HOST_PREPARED);
      // Durably noted before each call: if the launcher dies inside it, libvirtd may finish it.
      entry = advance(entry, LaunchPhase.DEFINING);
      phase(spec, LaunchPhase.DEFINING);
      String marked = preview.markedXml(ProcessHandle.current().pid());
      host.changed(spec.uuid());
      domain = LibvirtHost.call("define domain " + spec.name(), () -> connect.domainDefineXML(marked));
      phase(spec, LaunchPhase.DEFINED);
      entry = advance(entry, LaunchPhase.STARTING);
      phase(spec, LaunchPhase.STARTING);
      Domain defined = domain;
      LibvirtHost.call("start domain " + spec.name(), defined::create);
      LaunchReconciler.removeMark(defined); // defined with it just now: no need to read it back
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
        .accelerator(accelerator).domain(preview.domain()).hostChanges(changes).state(stateAfterStart(domain))
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

  /** Durably notes that a libvirt call may be in flight; nothing to note without an entry. */
  private LaunchJournal.Entry advance(LaunchJournal.Entry entry, LaunchPhase step) {
    return entry == null ? null : journal.advance(entry, step.name());
  }

  private void deleteJournalEntry(LaunchJournal.Entry entry, RuntimeException failure) {
    if (entry == null) {
      return;
    }
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
        host.removeNeverStartedDomain(domain);
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
      usage = host.deviceUsage();
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

  /** The preparer for {@code plan}, or null when it changes nothing on the host. */
  private HostPreparer preparer(GuestNetworkPlan plan) {
    if (plan.hostActions().isEmpty()) {
      return null;
    }
    if (options.hostRoot().isEmpty() && host.isTestDriver()) {
      throw new HostPreparationException("guest " + plan.guestName() + " needs host changes ("
          + plan.hostActions().get(0).describe() + ") but " + host.uri() + " is libvirt's test driver,"
          + " whose devices are not this host's", "give LibvirtHostOptions.hostRoot a copied"
          + " sysfs tree, or plan with VFs that exist already on PFs whose link is up", null);
    }
    return new HostPreparer(options.hostRoot().orElse(Path.of("/")), options.linkControl());
  }

  /** Two NICs with one MAC on a network break both: a requested MAC no other domain may use. */
  private void requireMacsFree(GuestNetworkPlan plan, DomainLedger ledger) {
    for (var nic : plan.assignments()) {
      if (nic.mac().isEmpty()) {
        continue;
      }
      String mac = nic.mac().get().value();
      ledger.macHolder(mac).ifPresent(holder -> {
        throw new InvalidInputException("mac", mac, "domain " + holder + " on " + host.uri()
            + " already uses this MAC; choose another or leave it to libvirt");
      });
    }
  }

  /** The domains just listed are every defined or running one: no second lookup needed. */
  private void requireNameFree(String name, DomainLedger ledger) {
    if (ledger.nameTaken(name)) {
      throw new InvalidInputException("name", name, "a domain of that name is already defined on "
          + host.uri() + "; choose another name or undefine it");
    }
  }

  private void phase(GuestSpec spec, LaunchPhase phase) {
    options.launchListener().reached(spec.name(), phase);
  }
}
