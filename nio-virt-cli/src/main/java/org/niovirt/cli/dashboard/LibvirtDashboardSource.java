package org.niovirt.cli.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.niovirt.api.model.HostInventory;
import org.niovirt.cli.common.ConnectionInfo;
import org.niovirt.libvirt.BootCheck;
import org.niovirt.libvirt.GuestSummary;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.xml.DomainNic;
import org.niovirt.libvirt.xml.DomainXml;
import org.niovirt.libvirt.xml.RecordedPlan;

/**
 * Reads the dashboard's picture from a libvirt connection: the domains and their NICs from each
 * domain's XML (libvirt is the record, whoever launched them; kept current from libvirt's domain
 * events by {@link LibvirtHost}, so a look when nothing changed reads no domain), the hardware from an inventory
 * supplier (re-detected now and then: VFs come and go), and the reasons behind each NIC from the
 * plan nio-virt recorded in the domain's metadata ({@link RecordedPlan}), whichever process
 * launched it.
 */
public final class LibvirtDashboardSource implements DashboardSource {
  private final LibvirtHost host;
  private final Supplier<HostInventory> hardware;
  private final Duration hardwareRefresh;
  private final Clock clock;

  private HostInventory inventory;
  private Instant inventoryReadAt = Instant.MIN;
  /** The last look, kept while neither the guests nor the hardware changed. */
  private List<GuestSummary> lastSummaries;
  private Observation lastObservation;

  public LibvirtDashboardSource(LibvirtHost host, Supplier<HostInventory> hardware,
      Duration hardwareRefresh) {
    this(host, hardware, hardwareRefresh, Clock.systemUTC());
  }

  LibvirtDashboardSource(LibvirtHost host, Supplier<HostInventory> hardware, Duration hardwareRefresh,
      Clock clock) {
    this.host = host;
    this.hardware = hardware;
    this.hardwareRefresh = hardwareRefresh;
    this.clock = clock;
  }

  /** Detects the hardware again on the next observation (after a launch created VFs). */
  public synchronized void forgetHardware() {
    inventoryReadAt = Instant.MIN;
  }

  @Override
  public ConnectionInfo connection() {
    return new ConnectionInfo(host.uri());
  }

  /** libvirt's domain events, through the host's event-kept ledger. */
  @Override
  public AutoCloseable onChange(Runnable listener) {
    return host.onDomainChange(listener);
  }

  @Override
  public synchronized Observation observe() {
    Instant now = clock.instant();
    boolean hardwareRead = false;
    if (inventory == null || !now.isBefore(inventoryReadAt.plus(hardwareRefresh))) {
      inventory = hardware.get();
      inventoryReadAt = now;
      hardwareRead = true;
    }
    // The ledger hands out the same list until a domain changes: then nothing is rebuilt.
    List<GuestSummary> summaries = host.list();
    if (!hardwareRead && summaries == lastSummaries && lastObservation != null) {
      return lastObservation;
    }
    // What stops a guest on the hardware as it is now (a VF gone after a reboot), with the fix.
    java.util.Map<String, List<String>> cannotStart = new java.util.HashMap<>();
    for (BootCheck.Finding finding : BootCheck.check(summaries, inventory)) {
      cannotStart.computeIfAbsent(finding.guest(), g -> new ArrayList<>())
          .add(finding.problem() + ": " + finding.fix());
    }
    List<GuestView> guests = new ArrayList<>();
    for (GuestSummary summary : summaries) {
      guests.add(view(summary, summary.domainXml(), cannotStart.getOrDefault(summary.name(), List.of())));
    }
    guests.sort((a, b) -> a.name().compareTo(b.name()));
    lastSummaries = summaries;
    lastObservation = new Observation(inventory, LibvirtHost.usageOf(summaries), guests);
    return lastObservation;
  }

  private GuestView view(GuestSummary summary, DomainXml xml, List<String> cannotStart) {
    List<DomainNic> nics = DomainNic.of(xml);
    return new GuestView(summary.name(), summary.state().libvirtName(), xml.vcpus(),
        xml.memoryKiB() / 1024, nics, cannotStart);
  }
}
