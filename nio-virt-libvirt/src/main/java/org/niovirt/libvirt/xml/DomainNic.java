package org.niovirt.libvirt.xml;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.Verdict;
import org.niovirt.api.request.Technology;

/**
 * One guest NIC as a domain's XML shows it, joined with the reasons nio-virt recorded for it
 * ({@link RecordedPlan}): its technology ({@code sriov}, {@code vtd}, {@code virtio}), the host
 * functions it holds, its MAC, a virtio NIC's attachment, and the reason and verdicts when recorded.
 * Read from libvirt's XML, so it is right for domains any process or tool defined.
 */
public record DomainNic(int index, String technology, List<PciAddress> devices, Optional<String> mac,
    Optional<String> attachment, Optional<String> reason, List<Verdict> verdicts) {
  public DomainNic {
    devices = List.copyOf(devices);
    verdicts = List.copyOf(verdicts);
  }

  /** The domain's NICs in the guest's order, with their recorded reasons where the plan has them. */
  public static List<DomainNic> of(DomainXml xml) {
    List<DomainNic> nics = nicsFromXml(xml);
    return xml.recordedPlan().map(plan -> withReasons(nics, plan)).orElse(nics);
  }

  /** The NICs as libvirt has them: interfaces in order, then each passed-through function. */
  private static List<DomainNic> nicsFromXml(DomainXml xml) {
    List<DomainNic> nics = new ArrayList<>();
    int index = 0;
    for (InterfaceXml nic : xml.devices().interfaces()) {
      if (nic.source() instanceof HostdevSourceXml) {
        PciAddress vf = ((HostdevSourceXml) nic.source()).address().address();
        nics.add(new DomainNic(index++, "sriov", List.of(vf), nic.mac(), Optional.empty(),
            Optional.empty(), List.of()));
      } else {
        nics.add(new DomainNic(index++, "virtio", List.of(), nic.mac(),
            Optional.of(attachment(nic)), Optional.empty(), List.of()));
      }
    }
    for (HostdevXml hostdev : xml.devices().hostdevs()) {
      nics.add(new DomainNic(index++, "vtd", List.of(hostdev.source().address()),
          Optional.empty(), Optional.empty(), Optional.empty(), List.of()));
    }
    return nics;
  }

  /**
   * Puts each recorded NIC's index, reason and verdicts on the NIC libvirt shows for it: VFs and
   * passed-through functions by address, virtio NICs in order. The XML stays the truth for what
   * exists; a NIC without a matching record keeps no reason.
   */
  private static List<DomainNic> withReasons(List<DomainNic> fromXml, RecordedPlan plan) {
    List<RecordedNic> unmatchedVirtio = new ArrayList<>();
    plan.nics().stream().filter(n -> n.technology() == Technology.VIRTIO).forEach(unmatchedVirtio::add);
    List<DomainNic> result = new ArrayList<>();
    List<PciAddress> covered = new ArrayList<>();
    for (DomainNic nic : fromXml) {
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
      result.add(new DomainNic(recorded.nicIndex(), recorded.technology().id(), devices, nic.mac(),
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
}
