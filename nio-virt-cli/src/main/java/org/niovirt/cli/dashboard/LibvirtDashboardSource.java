package org.niovirt.cli.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.request.Technology;
import org.niovirt.cli.common.ConnectionInfo;
import org.niovirt.libvirt.GuestSummary;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.xml.BridgeSourceXml;
import org.niovirt.libvirt.xml.DirectSourceXml;
import org.niovirt.libvirt.xml.DomainXml;
import org.niovirt.libvirt.xml.HostdevSourceXml;
import org.niovirt.libvirt.xml.HostdevXml;
import org.niovirt.libvirt.xml.InterfaceXml;
import org.niovirt.libvirt.xml.NetworkSourceXml;
import org.niovirt.libvirt.xml.RecordedNic;
import org.niovirt.libvirt.xml.RecordedPlan;

/**
 * Reads the dashboard's picture from a libvirt connection: the domains and their NICs from each
 * domain's XML (libvirt is the record, whoever launched them), the hardware from an inventory
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

  @Override
  public synchronized Observation observe() {
    Instant now = clock.instant();
    if (inventory == null || !now.isBefore(inventoryReadAt.plus(hardwareRefresh))) {
      inventory = hardware.get();
      inventoryReadAt = now;
    }
    // One listing gives both the ledger and each guest's XML: no second read per domain.
    List<GuestSummary> summaries = host.list();
    List<GuestView> guests = new ArrayList<>();
    for (GuestSummary summary : summaries) {
      guests.add(view(summary, summary.domainXml()));
    }
    guests.sort((a, b) -> a.name().compareTo(b.name()));
    return new Observation(inventory, LibvirtHost.usageOf(summaries), guests);
  }

  private GuestView view(GuestSummary summary, DomainXml xml) {
    List<GuestView.Nic> nics = nicsFromXml(xml);
    if (xml.recordedPlan().isPresent()) {
      nics = withReasons(nics, xml.recordedPlan().get());
    }
    return new GuestView(summary.name(), stateName(summary), xml.vcpus(), xml.memoryKiB() / 1024, nics);
  }

  /** The NICs as libvirt has them: interfaces in order, then each passed-through function. */
  private static List<GuestView.Nic> nicsFromXml(DomainXml xml) {
    List<GuestView.Nic> nics = new ArrayList<>();
    int index = 0;
    for (InterfaceXml nic : xml.devices().interfaces()) {
      if (nic.source() instanceof HostdevSourceXml) {
        PciAddress vf = ((HostdevSourceXml) nic.source()).address().address();
        nics.add(new GuestView.Nic(index++, "sriov", List.of(vf), nic.mac(), Optional.empty(),
            Optional.empty(), List.of()));
      } else {
        nics.add(new GuestView.Nic(index++, "virtio", List.of(), nic.mac(),
            Optional.of(attachment(nic)), Optional.empty(), List.of()));
      }
    }
    for (HostdevXml hostdev : xml.devices().hostdevs()) {
      nics.add(new GuestView.Nic(index++, "vtd", List.of(hostdev.source().address()),
          Optional.empty(), Optional.empty(), Optional.empty(), List.of()));
    }
    return nics;
  }

  /**
   * Puts each recorded NIC's index, reason and verdicts on the NIC libvirt shows for it: VFs and
   * passed-through functions by address, virtio NICs in order. The XML stays the truth for what
   * exists; a NIC without a matching record keeps no reason.
   */
  private static List<GuestView.Nic> withReasons(List<GuestView.Nic> fromXml, RecordedPlan plan) {
    List<RecordedNic> unmatchedVirtio = new ArrayList<>();
    plan.nics().stream().filter(n -> n.technology() == Technology.VIRTIO).forEach(unmatchedVirtio::add);
    List<GuestView.Nic> result = new ArrayList<>();
    List<PciAddress> covered = new ArrayList<>();
    for (GuestView.Nic nic : fromXml) {
      Optional<RecordedNic> match;
      if (nic.technology().equals("virtio")) {
        Iterator<RecordedNic> next = unmatchedVirtio.iterator();
        match = next.hasNext() ? Optional.of(next.next()) : Optional.empty();
        match.ifPresent(unmatchedVirtio::remove);
      } else {
        if (covered.containsAll(nic.devices())) {
          continue; // an IOMMU-group companion, shown with the NIC that brought it
        }
        match = plan.nics().stream()
            .filter(n -> n.technology() != Technology.VIRTIO && n.devices().containsAll(nic.devices()))
            .findFirst();
      }
      if (match.isEmpty()) {
        result.add(nic);
        continue;
      }
      RecordedNic recorded = match.get();
      covered.addAll(recorded.devices());
      List<PciAddress> devices = recorded.technology() == Technology.SRIOV ? nic.devices() : recorded.devices();
      result.add(new GuestView.Nic(recorded.nicIndex(), recorded.technology().id(), devices, nic.mac(),
          nic.attachment(), Optional.of(recorded.reason()), recorded.verdicts()));
    }
    result.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return result;
  }

  private static String attachment(InterfaceXml nic) {
    if (nic.source() instanceof NetworkSourceXml) {
      return "network " + ((NetworkSourceXml) nic.source()).network();
    }
    if (nic.source() instanceof BridgeSourceXml) {
      return "bridge " + ((BridgeSourceXml) nic.source()).bridge();
    }
    if (nic.source() instanceof DirectSourceXml) {
      return "direct " + ((DirectSourceXml) nic.source()).device();
    }
    return nic.type();
  }

  /** libvirt's own short names (virsh domstate): running, paused, shut off... as CSS-friendly words. */
  private static String stateName(GuestSummary summary) {
    switch (summary.state()) {
      case SHUT_OFF:
        return "shutoff";
      case SHUTTING_DOWN:
        return "shutdown";
      case PM_SUSPENDED:
        return "pmsuspended";
      case NO_STATE:
        return "nostate";
      default:
        return summary.state().name().toLowerCase(Locale.ROOT);
    }
  }
}
