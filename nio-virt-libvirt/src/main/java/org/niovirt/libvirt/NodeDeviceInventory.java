package org.niovirt.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.libvirt.Connect;
import org.libvirt.Device;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.ImmutableNetworkFunction;
import org.niovirt.api.model.IommuGroup;
import org.niovirt.api.model.IommuGroupMember;
import org.niovirt.api.model.IommuState;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkCard;
import org.niovirt.api.model.NetworkClass;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.OperState;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.PcieLink;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.VirtualFunction;
import org.niovirt.libvirt.xml.ImmutableNodeDeviceXml;
import org.niovirt.libvirt.xml.NetCapabilityXml;
import org.niovirt.libvirt.xml.NodeDeviceXml;
import org.niovirt.libvirt.xml.NodeDeviceXmlCodec;
import org.niovirt.libvirt.xml.PciCapabilityXml;

/**
 * A {@link HostInventory} from libvirt's node devices ({@code virsh nodedev-dumpxml}) rather than
 * sysfs: on libvirt's test driver with a custom node file ({@code test:///abs/path/node.xml}) this
 * describes a made-up host with PFs ({@code virt_functions}), VFs ({@code phys_function}) and
 * IOMMU groups, so planning and launching can be exercised without the hardware.
 */
public final class NodeDeviceInventory {
  private NodeDeviceInventory() {}

  public static HostInventory read(LibvirtHost host) {
    return read(host, NodeDeviceInventoryOptions.defaults());
  }

  public static HostInventory read(LibvirtHost host, NodeDeviceInventoryOptions options) {
    Connect connect = host.connection();
    List<NodeDeviceXml> devices = new ArrayList<>();
    for (String capability : List.of("pci", "net")) {
      String[] names = LibvirtHost.call("list " + capability + " node devices",
          () -> connect.listDevices(capability));
      for (String name : names) {
        String xml = LibvirtHost.call("read node device " + name, () -> {
          Device device = connect.deviceLookupByName(name);
          try {
            return device.getXMLDescription();
          } finally {
            device.free();
          }
        });
        devices.add(NodeDeviceXmlCodec.unmarshal(xml));
      }
    }
    return fromDevices("libvirt:" + host.uri(), withTestDriverFileDrivers(host, devices), options);
  }

  /**
   * libvirt's test driver drops {@code <driver>} from the node devices of its file, and a PF
   * without a driver cannot make VFs; so for a {@code test:///file} connection the drivers are
   * taken from the file itself (the devices, names and everything else still come from libvirt).
   */
  private static List<NodeDeviceXml> withTestDriverFileDrivers(LibvirtHost host, List<NodeDeviceXml> devices) {
    if (!host.isTestDriver() || !host.uri().startsWith("test:///")) {
      return devices;
    }
    Path file = Path.of(host.uri().substring("test://".length()));
    if (!Files.isRegularFile(file)) {
      return devices;
    }
    Map<String, String> drivers = new HashMap<>();
    try {
      for (NodeDeviceXml device : NodeDeviceXmlCodec.unmarshalTestDriverNode(Files.readString(file))) {
        device.driver().ifPresent(driver -> drivers.put(device.name(), driver));
      }
    } catch (IOException e) {
      throw new InvalidInputException("uri", host.uri(), "a readable test driver file: " + e);
    }
    List<NodeDeviceXml> enriched = new ArrayList<>();
    for (NodeDeviceXml device : devices) {
      String driver = drivers.get(device.name());
      enriched.add(device.driver().isEmpty() && driver != null
          ? ImmutableNodeDeviceXml.copyOf(device).withDriver(driver) : device);
    }
    return enriched;
  }

  /** The mapping itself, from already-read node devices. */
  public static HostInventory fromDevices(
      String source, List<NodeDeviceXml> devices, NodeDeviceInventoryOptions options) {
    Map<PciAddress, NodeDeviceXml> pciByAddress = new TreeMap<>();
    Map<String, PciAddress> addressByName = new HashMap<>();
    Map<String, List<NetCapabilityXml>> netByParent = new HashMap<>();
    for (NodeDeviceXml device : devices) {
      device.pci().ifPresent(pci -> {
        pciByAddress.put(pci.address(), device);
        addressByName.put(device.name(), pci.address());
      });
      device.net().ifPresent(net -> device.parent().ifPresent(
          parent -> netByParent.computeIfAbsent(parent, p -> new ArrayList<>()).add(net)));
    }
    Map<PciAddress, List<NetDev>> netdevs = new HashMap<>();
    netByParent.forEach((parent, nets) -> {
      PciAddress address = addressByName.get(parent);
      if (address != null) {
        netdevs.put(address, nets.stream().map(n -> netDev(n, options)).collect(Collectors.toList()));
      }
    });

    Map<String, List<NetworkFunction>> bySlot = new TreeMap<>();
    for (NodeDeviceXml device : pciByAddress.values()) {
      PciCapabilityXml pci = device.pci().get();
      boolean network = pci.classCode().isPresent() && NetworkClass.isNetworkClass(pci.classCode().getAsInt());
      if (network && pci.physicalFunction().isEmpty()) {
        NetworkFunction function = function(device, pciByAddress, netdevs, options);
        bySlot.computeIfAbsent(function.address().slotId(), s -> new ArrayList<>()).add(function);
      }
    }
    List<NetworkCard> cards = new ArrayList<>();
    bySlot.forEach((slot, ports) -> cards.add(NetworkCard.builder().slotId(slot).ports(ports).build()));

    return HostInventory.builder()
        .source(source)
        .cards(cards)
        .iommu(iommu(pciByAddress, options))
        .managementInterfaces(options.managementInterfaces())
        .vhostNetAvailable(options.vhostNetAvailable())
        .build();
  }

  private static NetworkFunction function(NodeDeviceXml device, Map<PciAddress, NodeDeviceXml> pciByAddress,
      Map<PciAddress, List<NetDev>> netdevs, NodeDeviceInventoryOptions options) {
    PciCapabilityXml pci = device.pci().get();
    ImmutableNetworkFunction.Builder function = NetworkFunction.builder()
        .address(pci.address())
        .classCode(pci.classCode().getAsInt())
        .vendorId(pci.vendorId())
        .deviceId(pci.productId())
        .vendorName(pci.vendorName())
        .deviceName(pci.productName())
        .driver(device.driver())
        .numaNode(pci.numaNode())
        .iommuGroup(pci.iommuGroup())
        .netdevs(netdevs.getOrDefault(pci.address(), List.of()));
    if (pci.linkSpeed().isPresent() && pci.linkWidth().isPresent()) {
      function.pcieLink(PcieLink.of(pci.linkSpeed().get() + " GT/s PCIe", pci.linkWidth().getAsInt()));
    }
    if (pci.maxVirtualFunctions().isPresent() || !pci.virtualFunctions().isEmpty()) {
      List<String> diagnostics = new ArrayList<>();
      function.sriov(sriov(pci, pciByAddress, netdevs, options, diagnostics));
      function.addAllDiagnostics(diagnostics);
    }
    return function.build();
  }

  private static SriovCapability sriov(PciCapabilityXml pf, Map<PciAddress, NodeDeviceXml> pciByAddress,
      Map<PciAddress, List<NetDev>> netdevs, NodeDeviceInventoryOptions options, List<String> diagnostics) {
    List<PciAddress> existing = pf.virtualFunctions();
    List<VirtualFunction> vfs = new ArrayList<>();
    OptionalInt vfDeviceId = OptionalInt.empty();
    for (int index = 0; index < existing.size(); index++) {
      PciAddress address = existing.get(index);
      Optional<NodeDeviceXml> vfDevice = Optional.ofNullable(pciByAddress.get(address));
      Optional<NetDev> netdev = netdevs.getOrDefault(address, List.of()).stream().findFirst();
      Optional<PciCapabilityXml> vfPci = vfDevice.flatMap(NodeDeviceXml::pci);
      if (vfDeviceId.isEmpty() && vfPci.isPresent()) {
        vfDeviceId = OptionalInt.of(vfPci.get().productId());
      }
      vfs.add(VirtualFunction.builder()
          .index(index)
          .address(address)
          .driver(vfDevice.flatMap(NodeDeviceXml::driver))
          .netdev(netdev.map(NetDev::name))
          .mac(netdev.flatMap(NetDev::mac))
          .iommuGroup(vfPci.map(PciCapabilityXml::iommuGroup).orElse(OptionalInt.empty()))
          .build());
    }
    int total = pf.maxVirtualFunctions().orElse(existing.size());
    int[] layout = vfLayout(pf, options);
    if (layout == null) {
      if (total > existing.size()) {
        diagnostics.add("VF offset and stride unknown (node devices lack them, fewer than two VFs"
            + " exist and no sysfs was given): VF creation on " + pf.address() + " is left out");
      }
      total = existing.size();
      layout = new int[] {existing.isEmpty() ? 1 : routingId(existing.get(0)) - routingId(pf.address()), 1};
    }
    return SriovCapability.builder()
        .physicalFunction(pf.address())
        .totalVfs(total)
        .numVfs(existing.size())
        .vfDeviceId(vfDeviceId)
        .offset(layout[0])
        .stride(layout[1])
        .vfs(vfs)
        .build();
  }

  /** {offset, stride} from sysfs, else from the first two VFs, else null. */
  private static int[] vfLayout(PciCapabilityXml pf, NodeDeviceInventoryOptions options) {
    if (options.hostRoot().isPresent()) {
      Path device = options.hostRoot().get().resolve("sys/bus/pci/devices").resolve(pf.address().toString());
      Optional<Integer> offset = readInt(device.resolve("sriov_offset"));
      Optional<Integer> stride = readInt(device.resolve("sriov_stride"));
      if (offset.isPresent() && stride.isPresent()) {
        return new int[] {offset.get(), stride.get()};
      }
    }
    List<PciAddress> vfs = pf.virtualFunctions();
    if (vfs.size() >= 2) {
      return new int[] {routingId(vfs.get(0)) - routingId(pf.address()),
          routingId(vfs.get(1)) - routingId(vfs.get(0))};
    }
    return null;
  }

  private static Optional<Integer> readInt(Path file) {
    try {
      return Files.exists(file) ? Optional.of(Integer.parseInt(Files.readString(file).trim())) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      throw new InvalidInputException(file.toString(), e.getMessage(), "a readable decimal number");
    }
  }

  private static int routingId(PciAddress a) {
    return a.bus() << 8 | a.slot() << 3 | a.function();
  }

  private static NetDev netDev(NetCapabilityXml net, NodeDeviceInventoryOptions options) {
    Optional<MacAddress> mac;
    try {
      mac = net.mac().map(m -> MacAddress.parse(m, "node device " + net.interfaceName() + " address"));
    } catch (InvalidInputException e) {
      mac = Optional.empty();
    }
    return NetDev.builder()
        .name(net.interfaceName())
        .mac(mac)
        .operState(net.linkState().map(OperState::fromSysfs).orElse(OperState.UNKNOWN))
        .speedMbps(net.speedMbps())
        .management(options.managementInterfaces().contains(net.interfaceName()))
        .build();
  }

  private static IommuState iommu(Map<PciAddress, NodeDeviceXml> pciByAddress, NodeDeviceInventoryOptions options) {
    Map<Integer, List<PciAddress>> members = new TreeMap<>();
    for (NodeDeviceXml device : pciByAddress.values()) {
      PciCapabilityXml pci = device.pci().get();
      if (pci.iommuGroup().isPresent()) {
        List<PciAddress> group = members.computeIfAbsent(pci.iommuGroup().getAsInt(), g -> new ArrayList<>());
        for (PciAddress member : pci.iommuGroupMembers().isEmpty() ? List.of(pci.address()) : pci.iommuGroupMembers()) {
          if (!group.contains(member)) {
            group.add(member);
          }
        }
      }
    }
    List<IommuGroup> groups = new ArrayList<>();
    members.forEach((id, addresses) -> groups.add(IommuGroup.builder().id(id)
        .members(addresses.stream().sorted().map(address -> {
          Optional<NodeDeviceXml> device = Optional.ofNullable(pciByAddress.get(address));
          return IommuGroupMember.builder()
              .address(address)
              .classCode(device.flatMap(NodeDeviceXml::pci).map(p -> p.classCode().orElse(0)).orElse(0))
              .driver(device.flatMap(NodeDeviceXml::driver))
              .build();
        }).collect(Collectors.toList()))
        .build()));
    boolean enabled = !groups.isEmpty();
    return IommuState.builder()
        .vendor(options.iommuVendor())
        .present(enabled)
        .enabled(enabled)
        .interruptRemapping(options.interruptRemapping())
        .groups(groups)
        .build();
  }
}
