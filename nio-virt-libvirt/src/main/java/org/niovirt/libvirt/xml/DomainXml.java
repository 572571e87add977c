package org.niovirt.libvirt.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;
import org.niovirt.api.model.PciAddress;

/** A libvirt {@code <domain>}: the parts nio-virt writes, and reads back from libvirt. */
@Value.Immutable
public interface DomainXml {
  /** {@code qemu} (TCG), {@code kvm}, or another libvirt domain type. */
  String type();

  String name();

  Optional<String> uuid();

  Optional<String> description();

  /** Why each NIC is what it is, from our {@code <metadata>}; empty when not recorded. */
  Optional<RecordedPlan> recordedPlan();

  /**
   * The PID of the nio-virt launcher that defined this domain, while its launch is unfinished
   * ({@link LaunchMark}); empty once the domain ran, and for domains nio-virt did not launch.
   */
  Optional<Long> launchPendingBy();

  long memoryKiB();

  int vcpus();

  OsXml os();

  /** Empty feature elements in order, e.g. {@code acpi}, {@code apic}. */
  List<String> features();

  Optional<String> onPoweroff();

  Optional<String> onReboot();

  Optional<String> onCrash();

  DevicesXml devices();

  /**
   * Every host PCI function this domain holds: {@code <hostdev>} sources and
   * {@code <interface type='hostdev'>} sources, in document order. The device ledger is built
   * from this.
   */
  default List<PciAddress> hostPciDevices() {
    List<PciAddress> held = new ArrayList<>();
    for (InterfaceXml nic : devices().interfaces()) {
      if (nic.source() instanceof HostdevSourceXml) {
        held.add(((HostdevSourceXml) nic.source()).address().address());
      }
    }
    for (HostdevXml hostdev : devices().hostdevs()) {
      held.add(hostdev.source().address());
    }
    return List.copyOf(held);
  }

  static ImmutableDomainXml.Builder builder() {
    return ImmutableDomainXml.builder();
  }
}
