package org.niovirt.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.ImmutableNetDev;
import org.niovirt.api.model.ImmutableNetworkFunction;
import org.niovirt.api.model.ImmutableSriovCapability;
import org.niovirt.api.model.ImmutableVirtualFunction;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.OperState;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.PcieLink;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.VirtualFunction;

/** Builds a network function, its netdevs and its SR-IOV VFs from the device's sysfs files. */
final class FunctionReader {
  /** PCI's "no device" id, shown when vendor or device cannot be read (with a diagnostic). */
  static final int UNREADABLE_ID = 0xffff;
  private static final Pattern SIX_OCTETS = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
  private static final Pattern LONGER_HARDWARE_ADDRESS =
      Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){6,}");

  private final RootedTree tree;
  private final BiFunction<PciAddress, String, PciDevice> devices;
  private final Function<PciAddress, OptionalInt> groupOf;
  private final ManagementResolver management;
  private final PciIds names;

  FunctionReader(RootedTree tree, BiFunction<PciAddress, String, PciDevice> devices,
      Function<PciAddress, OptionalInt> groupOf, ManagementResolver management, PciIds names) {
    this.tree = tree;
    this.devices = devices;
    this.groupOf = groupOf;
    this.management = management;
    this.names = names;
  }

  NetworkFunction read(PciDevice device, int classCode) {
    AttributeReader files = device.files;
    int vendor = files.hex("vendor", true).orElse(UNREADABLE_ID);
    int deviceId = files.hex("device", true).orElse(UNREADABLE_ID);
    OptionalInt numa = files.decimal("numa_node", false);
    ImmutableNetworkFunction.Builder function = NetworkFunction.builder()
        .address(device.address)
        .classCode(classCode)
        .vendorId(vendor)
        .deviceId(deviceId)
        .vendorName(names.vendor(vendor))
        .deviceName(names.device(vendor, deviceId))
        .driver(device.driver())
        .numaNode(numa.isPresent() && numa.getAsInt() >= 0 ? numa : OptionalInt.empty())
        .pcieLink(pcieLink(files))
        .netdevs(netdevs(device))
        .iommuGroup(groupOf.apply(device.address))
        .sriov(sriov(device));
    if (files.sawMissing() && !files.exists("")) {
      device.problems.add("the device disappeared during the scan");
    }
    return function.addAllDiagnostics(device.problems).build();
  }

  /** Absent on conventional PCI (virtio on a legacy bus) and "Unknown" on some virtual links. */
  private static Optional<PcieLink> pcieLink(AttributeReader files) {
    Optional<String> speed = files.optionalText("current_link_speed");
    if (speed.isEmpty() || speed.get().startsWith("Unknown")) {
      return Optional.empty();
    }
    OptionalInt width = files.decimal("current_link_width", false);
    if (width.isEmpty() || width.getAsInt() <= 0) {
      return Optional.empty();
    }
    return Optional.of(PcieLink.of(speed.get(), width.getAsInt()));
  }

  private List<NetDev> netdevs(PciDevice device) {
    List<NetDev> netdevs = new ArrayList<>();
    for (PciDevice.NetdevLocation location : device.netdevs()) {
      netdevs.add(netdev(device, location));
    }
    netdevs.sort(Comparator.comparingInt(NetDev::devPort).thenComparing(NetDev::name));
    return netdevs;
  }

  /** A netdev known to carry management traffic, whatever its own links say. */
  NetDev managementNetdev(PciDevice device, PciDevice.NetdevLocation location) {
    return ImmutableNetDev.copyOf(netdev(device, location)).withManagement(true);
  }

  private NetDev netdev(PciDevice device, PciDevice.NetdevLocation location) {
    AttributeReader files = new AttributeReader(
        tree, location.directory, message -> device.problems.add(location.name + "/" + message));
    ImmutableNetDev.Builder netdev = NetDev.builder()
        .name(location.name)
        .mac(mac(files))
        .operState(files.optionalText("operstate").map(OperState::fromSysfs).orElse(OperState.UNKNOWN))
        .devPort(files.decimal("dev_port", false).orElse(0))
        .management(management.isManagement(location.name, files));
    // Drivers without port names fail the read (EOPNOTSUPP); the capture has them empty.
    files.quietText("phys_port_name").filter(name -> !name.isEmpty()).ifPresent(netdev::physPortName);
    // speed fails with EINVAL while the link is down, and reads -1 or 0 on some drivers.
    files.quietText("speed").flatMap(FunctionReader::positiveInt).ifPresent(netdev::speedMbps);
    return netdev.build();
  }

  private static Optional<Integer> positiveInt(String text) {
    try {
      int value = Integer.parseInt(text);
      return value > 0 ? Optional.of(value) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** InfiniBand's 20-byte hardware addresses are no MAC: left out without complaint. */
  private static Optional<MacAddress> mac(AttributeReader files) {
    Optional<String> address = files.optionalText("address");
    if (address.isEmpty() || LONGER_HARDWARE_ADDRESS.matcher(address.get()).matches()) {
      return Optional.empty();
    }
    if (!SIX_OCTETS.matcher(address.get()).matches()) {
      files.problem("address: expected a MAC address, read '"
          + AttributeReader.abbreviate(address.get()) + "'");
      return Optional.empty();
    }
    try {
      return Optional.of(MacAddress.parse(address.get(), "address"));
    } catch (InvalidInputException e) {
      files.problem("address: " + e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<SriovCapability> sriov(PciDevice pf) {
    AttributeReader files = pf.files;
    List<PciDevice.VirtfnLink> links = pf.virtfnLinks();
    Optional<String> totalText = files.optionalText("sriov_totalvfs");
    OptionalInt total = totalText.isEmpty() ? OptionalInt.empty()
        : files.parseDecimal("sriov_totalvfs", totalText.get());
    if (total.isPresent() && total.getAsInt() < 0) {
      files.problem("sriov_totalvfs: negative (" + total.getAsInt() + ")");
      total = OptionalInt.empty();
    }
    if (total.isEmpty()) {
      if (links.isEmpty()) {
        if (totalText.isPresent()) {
          files.problem("SR-IOV left out: the number of possible VFs is unknown");
        }
        return Optional.empty();
      }
      // Live VFs make it a PF whatever the damage: passing it through whole would pull them
      // from under their users, so keep what exists and create nothing more.
      int existing = links.stream().mapToInt(link -> link.index).max().orElse(-1) + 1;
      files.problem("has " + links.size() + " VF(s) but no readable sriov_totalvfs: taking " + existing
          + " as the total, so no more VFs are created");
      total = OptionalInt.of(existing);
    }
    List<VirtualFunction> vfs = new ArrayList<>();
    for (PciDevice.VirtfnLink link : links) {
      virtualFunction(pf, link).ifPresent(vfs::add);
    }
    int numVfs = files.decimal("sriov_numvfs", true).orElse(vfs.size());
    if (numVfs != vfs.size()) {
      files.problem("sriov_numvfs is " + numVfs + " but " + vfs.size() + " VF(s) were found");
    }
    if (numVfs > total.getAsInt() && numVfs > vfs.size()) {
      files.problem("sriov_numvfs " + numVfs + " exceeds sriov_totalvfs " + total.getAsInt()
          + "; using the " + vfs.size() + " VF(s) found");
      numVfs = vfs.size();
    }
    ImmutableSriovCapability.Builder sriov = SriovCapability.builder()
        .physicalFunction(pf.address)
        .totalVfs(total.getAsInt())
        .numVfs(numVfs)
        .vfDeviceId(files.bareHex("sriov_vf_device", false))
        .vfs(vfs);
    Optional<int[]> layout = layout(pf, total.getAsInt(), vfs);
    if (layout.isEmpty()) {
      // The counts and the VFs that exist still stand (a VF in use must never look free); only
      // where new VFs would appear is unknown, so none can be created.
      files.problem("where new VFs would appear is unknown (no sriov_offset/sriov_stride, no readable"
          + " SR-IOV capability in config): the " + vfs.size() + " existing VF(s) are kept, none is created");
      return Optional.of(sriov.offset(0).stride(0).layoutKnown(false).build());
    }
    return Optional.of(sriov.offset(layout.get()[0]).stride(layout.get()[1]).build());
  }

  /**
   * {offset, stride} from sriov_offset/sriov_stride, or else from the VFs that exist; checked so
   * that every VF up to sriov_totalvfs has a valid address.
   */
  private static Optional<int[]> layout(PciDevice pf, int totalVfs, List<VirtualFunction> vfs) {
    AttributeReader files = pf.files;
    OptionalInt offset = files.decimal("sriov_offset", totalVfs > 0);
    OptionalInt stride = files.decimal("sriov_stride", totalVfs > 1);
    if (totalVfs == 0) {
      return Optional.of(new int[] {offset.orElse(0), stride.orElse(0)});
    }
    int pfRoutingId = routingId(pf.address);
    if (offset.isEmpty() || stride.isEmpty()) {
      // Kernels before sriov_offset/sriov_stride (3.10 and older) still have them in config space.
      Optional<int[]> fromConfig = files.bytes("config").flatMap(PciConfigSpace::sriovOffsetAndStride);
      if (fromConfig.isPresent()) {
        files.problem("sriov_offset/sriov_stride taken from the SR-IOV capability in config: "
            + fromConfig.get()[0] + "/" + fromConfig.get()[1]);
        offset = offset.isPresent() ? offset : OptionalInt.of(fromConfig.get()[0]);
        stride = stride.isPresent() ? stride : OptionalInt.of(fromConfig.get()[1]);
      }
    }
    if (offset.isEmpty() && !vfs.isEmpty() && vfs.get(0).index() == 0) {
      offset = OptionalInt.of(routingId(vfs.get(0).address()) - pfRoutingId);
      files.problem("sriov_offset taken from virtfn0: " + offset.getAsInt());
    }
    if (stride.isEmpty() && totalVfs == 1) {
      stride = OptionalInt.of(1);
    }
    if (stride.isEmpty() && vfs.size() >= 2 && vfs.get(1).index() == vfs.get(0).index() + 1) {
      stride = OptionalInt.of(routingId(vfs.get(1).address()) - routingId(vfs.get(0).address()));
      files.problem("sriov_stride taken from the first two VFs: " + stride.getAsInt());
    }
    if (offset.isEmpty() || stride.isEmpty()) {
      return Optional.empty();
    }
    if (offset.getAsInt() <= 0 || (totalVfs > 1 && stride.getAsInt() <= 0)) {
      files.problem("sriov_offset " + offset.getAsInt() + " / sriov_stride " + stride.getAsInt()
          + " cannot place " + totalVfs + " VFs");
      return Optional.empty();
    }
    long lastRoutingId =
        (long) pfRoutingId + offset.getAsInt() + (long) (totalVfs - 1) * stride.getAsInt();
    if (lastRoutingId > 0xffff) {
      files.problem("VF " + (totalVfs - 1) + " would lie beyond bus ff (offset "
          + offset.getAsInt() + ", stride " + stride.getAsInt() + ")");
      return Optional.empty();
    }
    for (VirtualFunction vf : vfs) {
      long expected = (long) pfRoutingId + offset.getAsInt() + (long) vf.index() * stride.getAsInt();
      if (routingId(vf.address()) != expected) {
        files.problem("virtfn" + vf.index() + " is " + vf.address()
            + ", not where sriov_offset/sriov_stride place it");
      }
    }
    return Optional.of(new int[] {offset.getAsInt(), stride.getAsInt()});
  }

  private static int routingId(PciAddress address) {
    return address.bus() << 8 | address.slot() << 3 | address.function();
  }

  private Optional<VirtualFunction> virtualFunction(PciDevice pf, PciDevice.VirtfnLink link) {
    Optional<String> directory = pf.files.resolveLink(link.name);
    if (directory.isEmpty()) {
      return Optional.empty();
    }
    String name = RootedTree.lastComponent(directory.get());
    PciAddress address;
    try {
      address = PciAddress.parse(name, link.name);
    } catch (InvalidInputException e) {
      pf.problems.add(link.name + ": leads to '" + name + "', not a PCI function");
      return Optional.empty();
    }
    PciDevice vf = devices.apply(address, directory.get());
    ImmutableVirtualFunction.Builder builder = VirtualFunction.builder()
        .index(link.index)
        .address(address)
        .driver(vf.driver())
        .iommuGroup(groupOf.apply(address))
        // Kernels since 5.15 list the resets a function offers; release resets only with flr.
        .resetMethods(vf.files.optionalText("reset_method").map(String::strip).filter(m -> !m.isEmpty())
            .map(m -> List.of(m.split("\\s+"))).orElse(List.of()));
    List<PciDevice.NetdevLocation> netdevs = vf.netdevs();
    if (!netdevs.isEmpty()) {
      // A VF's netdev is reported by name, MAC and role only: its other attributes are not read.
      PciDevice.NetdevLocation location = netdevs.get(0);
      AttributeReader files = new AttributeReader(
          tree, location.directory, message -> vf.problems.add(location.name + "/" + message));
      builder.netdev(location.name).mac(mac(files))
          .netdevState(files.optionalText("operstate").map(OperState::fromSysfs).orElse(OperState.UNKNOWN))
          .management(management.isManagement(location.name, files));
    }
    if (netdevs.size() > 1) {
      pf.problems.add(link.name + ": " + netdevs.size() + " netdevs, only "
          + netdevs.get(0).name + " is reported");
    }
    pf.problems.addAll(prefixed(address + ": ", vf.problems));
    vf.problems.clear();
    return Optional.of(builder.build());
  }

  private static List<String> prefixed(String prefix, List<String> messages) {
    List<String> result = new ArrayList<>();
    messages.forEach(m -> result.add(prefix + m));
    return result;
  }
}
