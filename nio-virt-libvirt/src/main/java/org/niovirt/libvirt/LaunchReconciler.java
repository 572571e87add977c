package org.niovirt.libvirt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.libvirt.xml.LaunchMark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes what dead launchers left behind, judged by state that lives with the domain: a domain
 * still marked "launch pending" ({@link LaunchMark}) that does not run was never finished, whoever
 * defined it and whenever libvirtd completed the define. A journal entry is kept until its
 * domain's fate is known: when the launcher had already asked libvirt to define, the domain may
 * still appear, so the entry stays for {@link #DEFINE_GRACE_MILLIS} after its host changes are
 * reverted. Runs under the host lock, so no live launcher is judged.
 */
final class LaunchReconciler {
  /** Longer than libvirtd takes to finish any define or start it had received. */
  static final long DEFINE_GRACE_MILLIS = 120_000;
  /** How long a start that may still be in flight is given to show (QEMU starting, not the boot). */
  static final long START_SETTLE_MILLIS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(LaunchReconciler.class);

  private final LibvirtHost host;
  private final Connect connect;
  private final LaunchJournal journal;
  private final LibvirtHostOptions options;

  LaunchReconciler(LibvirtHost host, Connect connect, LaunchJournal journal, LibvirtHostOptions options) {
    this.host = host;
    this.connect = connect;
    this.journal = journal;
    this.options = options;
  }

  List<String> reconcile() {
    List<String> report = new ArrayList<>();
    for (LaunchJournal.Entry entry : journal.pending()) {
      if (!entry.uri().equals(host.uri())) {
        LOG.debug("Journal entry {} belongs to {}, not {}; left for a launcher on that URI",
            entry.file(), entry.uri(), host.uri());
        continue;
      }
      try {
        report.addAll(reconcile(entry));
      } catch (RuntimeException e) {
        throw new HostPreparationException("cannot reconcile the interrupted launch of " + entry.guest()
            + " (journal entry " + entry.file() + "): " + e.getMessage(), "fix the cause;"
            + " or check the host by hand (domain " + entry.uuid() + ", " + entry.changes().stream()
            .map(HostChange::describe).collect(Collectors.joining(", "))
            + ") and delete the entry", e);
      }
    }
    // The ledger holds every domain's parsed XML already: finding marked ones costs no libvirt call.
    report.addAll(undoUnfinishedDomains());
    if (!report.isEmpty()) {
      LOG.warn("Reconciled left-overs of interrupted launches: {}", report);
    }
    return report;
  }

  private List<String> reconcile(LaunchJournal.Entry entry) {
    List<String> report = new ArrayList<>();
    String guest = entry.guest();
    Domain domain = lookup(entry.uuid());
    if (domain != null && "STARTING".equals(entry.libvirtStep())) {
      awaitSettled(domain);
    }
    if (domain != null && LibvirtHost.call("check whether " + guest + " runs", domain::isActive) == 1) {
      clearMark(domain);
      report.add(guest + ": was started before its launcher died; kept");
      journal.delete(entry);
      return report;
    }
    if (domain != null) {
      host.removeNeverStartedDomain(domain);
      report.add(guest + ": undefined (defined but never started)");
    }
    report.addAll(revert(entry));
    boolean defineMayBeInFlight = domain == null && !entry.libvirtStep().isEmpty();
    if (!defineMayBeInFlight) {
      journal.delete(entry);
    } else if (entry.revertedAtMillis() == 0) {
      journal.reverted(entry, System.currentTimeMillis());
      report.add(guest + ": no domain yet, though its define was sent; entry kept for "
          + DEFINE_GRACE_MILLIS / 1000 + " s in case libvirtd still defines it");
    } else if (System.currentTimeMillis() - entry.revertedAtMillis() > DEFINE_GRACE_MILLIS) {
      journal.delete(entry);
      report.add(guest + ": never defined; journal entry removed");
    }
    return report;
  }

  private List<String> revert(LaunchJournal.Entry entry) {
    List<String> report = new ArrayList<>();
    if (entry.changes().isEmpty()) {
      return report;
    }
    HostPreparer preparer = new HostPreparer(entry.hostRoot(), options.linkControl());
    DeviceUsage usage = host.deviceUsage();
    List<HostChange> changes = new ArrayList<>(entry.changes());
    Collections.reverse(changes);
    for (HostChange change : changes) {
      report.add(entry.guest() + ": " + preparer.revert(change, usage));
    }
    return report;
  }

  /**
   * Domains whose launch mark is still there and whose launcher is gone: undefined when shut off,
   * whoever finished their define; a running one is kept and its mark cleared. A launcher that
   * still lives on this machine (another lock file, another user) is left to finish its launch.
   */
  private List<String> undoUnfinishedDomains() {
    List<String> report = new ArrayList<>();
    for (GuestSummary guest : host.refreshedLedger().unfinished()) {
      Long launcher = guest.domainXml().launchPendingBy().orElse(null);
      if (launcher == null || launcherLives(launcher)) {
        continue;
      }
      try {
        Domain domain = connect.domainLookupByUUID(guest.uuid());
        host.changed(guest.uuid());
        if (domain.isActive() == 1) {
          clearMark(domain);
          report.add(guest.name() + ": was started before its launcher died; its launch mark cleared");
          continue;
        }
        host.removeNeverStartedDomain(domain);
        report.add(guest.name() + ": undefined (its launch never finished; libvirt completed the define"
            + " after its launcher died)");
      } catch (LibvirtException e) {
        LibvirtOperationException error = new LibvirtOperationException("read domain " + guest.name(), e);
        if (!error.isNoDomain()) {
          throw error;
        }
      }
    }
    return report;
  }

  private static boolean launcherLives(long pid) {
    return pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * A start the launcher sent may still be running in libvirtd, which marks the domain active
   * early in the start: give it a moment before judging it never started.
   */
  private void awaitSettled(Domain domain) {
    long deadline = System.currentTimeMillis() + START_SETTLE_MILLIS;
    try {
      while (domain.isActive() != 1 && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
    } catch (LibvirtException e) {
      throw new LibvirtOperationException("check whether a domain runs", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Clears the mark of a running domain that may carry one (found by a reconcile). */
  private static void clearMark(Domain domain) {
    try {
      if (LaunchMark.isPending(domain.getXMLDesc(0))) {
        removeMark(domain);
      }
    } catch (LibvirtException e) {
      LOG.warn("Could not read the launch mark of a running domain: {}", e.getError());
    }
  }

  /** Removes the mark of a running domain, from its live and persistent XML. */
  static void removeMark(Domain domain) {
    try {
      int flags = domain.isPersistent() == 1 ? 3 : 1; // VIR_DOMAIN_AFFECT_LIVE | _CONFIG
      domain.setMetadata(2, null, LaunchMark.PREFIX, LaunchMark.NAMESPACE, flags);
    } catch (LibvirtException e) {
      // It runs either way; the next reconcile sees it running and tries again.
      LOG.warn("Could not clear the launch mark of a running domain: {}", e.getError());
    }
  }

  private Domain lookup(UUID uuid) {
    try {
      return connect.domainLookupByUUID(uuid);
    } catch (LibvirtException e) {
      LibvirtOperationException error = new LibvirtOperationException("look up domain " + uuid, e);
      if (error.isNoDomain()) {
        return null;
      }
      throw error;
    }
  }
}
