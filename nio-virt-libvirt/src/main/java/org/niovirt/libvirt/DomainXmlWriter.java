package org.niovirt.libvirt;

import java.util.Optional;
import java.util.OptionalInt;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.NicAssignment;
import org.niovirt.api.plan.PassthroughNic;
import org.niovirt.api.plan.SriovNic;
import org.niovirt.api.plan.VirtioNic;
import org.niovirt.api.request.BridgeAttachment;
import org.niovirt.api.request.DirectAttachment;
import org.niovirt.api.request.NetworkAttachment;
import org.niovirt.api.request.UserAttachment;
import org.niovirt.api.request.VirtioAttachment;
import org.niovirt.libvirt.xml.BridgeSourceXml;
import org.niovirt.libvirt.xml.CharDeviceXml;
import org.niovirt.libvirt.xml.DevicesXml;
import org.niovirt.libvirt.xml.DirectSourceXml;
import org.niovirt.libvirt.xml.DiskXml;
import org.niovirt.libvirt.xml.DomainXml;
import org.niovirt.libvirt.xml.DomainXmlCodec;
import org.niovirt.libvirt.xml.HostdevSourceXml;
import org.niovirt.libvirt.xml.HostdevXml;
import org.niovirt.libvirt.xml.ImmutableDevicesXml;
import org.niovirt.libvirt.xml.ImmutableInterfaceXml;
import org.niovirt.libvirt.xml.ImmutableOsXml;
import org.niovirt.libvirt.xml.InterfaceDriverXml;
import org.niovirt.libvirt.xml.InterfaceSourceXml;
import org.niovirt.libvirt.xml.InterfaceXml;
import org.niovirt.libvirt.xml.NetworkSourceXml;
import org.niovirt.libvirt.xml.OsXml;
import org.niovirt.libvirt.xml.PciAddressXml;
import org.niovirt.libvirt.xml.TeamingXml;
import org.niovirt.libvirt.xml.RecordedPlan;
import org.niovirt.libvirt.xml.UserSourceXml;

/**
 * Makes libvirt domain XML from a {@link GuestSpec} and the planner's {@link GuestNetworkPlan}:
 * virtio NICs become {@code <interface type='network'|'bridge'|'direct'|'user'>} with a virtio
 * model, SR-IOV VFs {@code <interface type='hostdev' managed='yes'>} with MAC and VLAN, VT-d
 * functions {@code <hostdev mode='subsystem' type='pci' managed='yes'>}.
 */
public final class DomainXmlWriter {
  /** macvtap mode in which guests on one host NIC can reach each other and the network. */
  static final String DIRECT_MODE = "bridge";

  private DomainXmlWriter() {}

  public static String write(GuestSpec spec, GuestNetworkPlan plan, AcceleratorChoice accelerator) {
    return DomainXmlCodec.marshal(toModel(spec, plan, accelerator));
  }

  public static DomainXml toModel(GuestSpec spec, GuestNetworkPlan plan, AcceleratorChoice accelerator) {
    if (!spec.name().equals(plan.guestName())) {
      throw new InvalidInputException("plan.guestName", plan.guestName(),
          "must equal the guest spec's name '" + spec.name() + "'");
    }
    ImmutableOsXml.Builder os = OsXml.builder().arch("x86_64").machine(spec.machine());
    ImmutableDevicesXml.Builder devices = DevicesXml.builder();
    BootSource boot = spec.boot();
    if (boot instanceof DiskBoot disk) {
      os.addBootDevice("hd");
      devices.addDisk(DiskXml.builder().format(disk.format().driverType())
          .sourceFile(disk.image().toString()).targetDevice("vda").targetBus("virtio").build());
    } else if (boot instanceof KernelBoot kernel) {
      os.kernel(kernel.kernel().toString()).cmdline(kernel.cmdline());
      kernel.initrd().ifPresent(initrd -> os.initrd(initrd.toString()));
    }
    for (NicAssignment nic : plan.assignments()) {
      if (nic instanceof VirtioNic virtio) {
        devices.addInterface(virtioInterface(virtio));
      } else if (nic instanceof SriovNic vf) {
        devices.addInterface(vfInterface(vf));
        // virtio-net failover: the persistent virtio standby the transient VF names by alias.
        vf.failoverStandby().ifPresent(standby -> devices.addInterface(standbyInterface(vf, standby)));
      } else if (nic instanceof PassthroughNic whole) {
        devices.addHostdev(HostdevXml.builder().source(PciAddressXml.of(whole.function()))
            .teaming(whole.failoverStandby().map(standby -> TeamingXml.transientSide(standbyAlias(whole))))
            .build());
        whole.failoverStandby().ifPresent(standby -> devices.addInterface(standbyInterface(whole, standby)));
        for (PciAddress companion : whole.groupCompanions()) {
          devices.addHostdev(HostdevXml.managedPci(PciAddressXml.of(companion)));
        }
      }
    }
    devices.addSerial(spec.serialLog().map(path -> CharDeviceXml.file(path.toString()))
        .orElseGet(CharDeviceXml::pty));
    return DomainXml.builder()
        .type(accelerator.chosen().domainType())
        .name(spec.name())
        .uuid(spec.uuid().toString())
        // The reasons outlive this process in libvirt's own record of the domain.
        .recordedPlan(RecordedPlan.of(plan))
        .memoryKiB(Math.multiplyExact(spec.memoryMiB(), 1024L))
        .vcpus(spec.vcpus())
        .os(os.build())
        // ACPI lets the guest power itself off and lets stop() ask it to shut down.
        .addFeatures("acpi", "apic")
        .devices(devices.build())
        .build();
  }

  private static InterfaceXml virtioInterface(VirtioNic nic) {
    ImmutableInterfaceXml.Builder xml = InterfaceXml.builder()
        .source(virtioSource(nic.attachment(), nic.nicIndex()))
        .model("virtio");
    nic.mac().ifPresent(mac -> xml.mac(mac.value()));
    if (nic.vhost() || nic.queues() > 1) {
      xml.driver(InterfaceDriverXml.builder()
          .name(nic.vhost() ? Optional.of("vhost") : Optional.empty())
          .queues(nic.queues() > 1 ? OptionalInt.of(nic.queues()) : OptionalInt.empty())
          .build());
    }
    return xml.build();
  }

  private static InterfaceSourceXml virtioSource(VirtioAttachment attachment, int nicIndex) {
    if (attachment instanceof NetworkAttachment network) {
      return NetworkSourceXml.of(network.name());
    } else if (attachment instanceof BridgeAttachment bridge) {
      return BridgeSourceXml.of(bridge.name());
    } else if (attachment instanceof DirectAttachment direct) {
      return DirectSourceXml.of(direct.hostInterface(), DIRECT_MODE);
    } else if (attachment instanceof UserAttachment) {
      return UserSourceXml.of();
    }
    throw new InvalidInputException("plan.assignments[" + nicIndex + "].attachment",
        attachment.describe(), "one of network, bridge, direct or user");
  }

  private static InterfaceXml vfInterface(SriovNic nic) {
    ImmutableInterfaceXml.Builder xml = InterfaceXml.builder()
        .source(HostdevSourceXml.of(PciAddressXml.of(nic.virtualFunction()), true));
    nic.mac().ifPresent(mac -> xml.mac(mac.value()));
    nic.vlan().ifPresent(xml::addVlanTag);
    if (nic.failoverStandby().isPresent()) {
      xml.teaming(TeamingXml.transientSide(standbyAlias(nic)));
    }
    return xml.build();
  }

  /** The persistent virtio side of a failover pair, with the primary's MAC. */
  private static InterfaceXml standbyInterface(NicAssignment primary, VirtioAttachment standby) {
    return InterfaceXml.builder().source(virtioSource(standby, primary.nicIndex())).model("virtio")
        .mac(primary.mac().map(MacAddress::value)).alias(standbyAlias(primary))
        .teaming(TeamingXml.persistentSide()).build();
  }

  /** User aliases start with {@code ua-} (libvirt's rule). */
  private static String standbyAlias(NicAssignment nic) {
    return "ua-failover-standby" + nic.nicIndex();
  }
}
