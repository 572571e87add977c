package org.niovirt.detect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;
import org.niovirt.api.model.Diagnostic;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.ImmutableNetDev;
import org.niovirt.api.model.ImmutableNetworkFunction;
import org.niovirt.api.model.ImmutableSriovCapability;
import org.niovirt.api.model.ImmutableVirtualFunction;
import org.niovirt.api.model.IommuState;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkCard;
import org.niovirt.api.model.NetworkClass;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.VfAdminState;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.VirtualFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One pass over a host tree. Holds the per-scan caches that keep every file read at most once. */
final class Scan {
  static final String PCI_DEVICES = "sys/bus/pci/devices";
  static final String VHOST_NET = "dev/vhost-net";
  private static final Logger LOG = LoggerFactory.getLogger(Scan.class);
  /** Ports from which function reading is shared among threads (each port brings its VFs). */
  private static final int PORTS_IN_PARALLEL = 8;

  private final RootedTree tree;
  private final String source;
  private final PciIds names;
  /** Sorted, and shared by the scan's threads. */
  private final Map<PciAddress, PciDevice> devices = new ConcurrentSkipListMap<>();
  private final List<Diagnostic> diagnostics = new ArrayList<>();

  Scan(TreeSource source, String description, PciIds names) {
    this.tree = new RootedTree(source);
    this.source = description;
    this.names = names;
  }

  /** The reader of host-wide files; its problems are diagnostics on {@code subject}. */
  private AttributeReader hostFiles(String subject) {
    return new AttributeReader(tree, "", message -> diagnostics.add(Diagnostic.of(subject, message)));
  }

  /** The one PciDevice of an address, however it was reached (bus list, VF link, IOMMU group). */
  private PciDevice device(PciAddress address, String directory) {
    return devices.computeIfAbsent(address, a -> new PciDevice(a, tree, directory));
  }

  HostInventory run() {
    String commandLine = hostFiles("kernel").requiredText("proc/cmdline").orElse("");
    AttributeReader routeFiles = hostFiles("routes");
    RouteTable.Routes routes = RouteTable.read(
        routeFiles.requiredText("proc/net/route"), routeFiles.optionalText("proc/net/ipv6_route"),
        routeFiles);
    Set<String> routeInterfaces = routes.interfaces();
    IommuReader iommuReader = new IommuReader(hostFiles("iommu"), this::device);
    IommuState iommu = guarded("iommu", () -> iommuReader.read(commandLine))
        .orElseGet(IommuState::none);

    ManagementResolver management = new ManagementResolver(routeInterfaces, tree);
    FunctionReader functionReader =
        new FunctionReader(tree, this::device, iommuReader::groupOf, management, names);
    List<NetworkFunction> functions = new ArrayList<>();
    List<PciDevice> vfDevices = new ArrayList<>();
    List<PciDevice> ports = new ArrayList<>();
    // Every listed device is classified first (in parallel), then the network functions are read
    // (in parallel, each with its own VFs): a VF's own problems are all known before its PF
    // takes them over, whichever thread got there first.
    List<PciDevice> listed = listPciDevices();
    List<Boolean> network = Parallel.map(listed, device -> {
      OptionalInt classCode = device.classCode();
      boolean isNetwork = classCode.isPresent() && NetworkClass.isNetworkClass(classCode.getAsInt());
      return isNetwork && device.isVirtualFunction() ? null : isNetwork;
    });
    for (int i = 0; i < listed.size(); i++) {
      if (network.get(i) == null) {
        vfDevices.add(listed.get(i));
      } else if (network.get(i)) {
        ports.add(listed.get(i));
      }
    }
    // A port is read with all its VFs: worth a second thread from a handful of ports on.
    List<Attempt<NetworkFunction>> reads = Parallel.map(ports, PORTS_IN_PARALLEL, device -> attempt(
        device.address.toString(), () -> functionReader.read(device, device.classCode().getAsInt())));
    for (int i = 0; i < ports.size(); i++) {
      Optional<NetworkFunction> function = settle(reads.get(i));
      if (function.isPresent()) {
        functions.add(function.get());
        ports.get(i).problems.clear(); // now in the function's own diagnostics
      }
    }
    checkEveryVfHasItsPf(functions, vfDevices);
    guarded("routes", () -> {
      markManagementSeenFromTheRoutes(functions, management, functionReader);
      return true;
    });
    List<NetworkFunction> withVfState = guarded("vf-admin", () -> withVfAdminState(functions, routes.routed()))
        .orElse(functions);
    for (PciDevice device : devices.values()) {
      device.problems.forEach(p -> diagnostics.add(Diagnostic.of(device.address.toString(), p)));
    }
    boolean vhostNet = hostFiles("virtio").exists(VHOST_NET);
    return HostInventory.builder()
        .source(source)
        .cards(cards(withVfState))
        .iommu(iommu)
        .managementInterfaces(routeInterfaces)
        .managementUnknownBecause(routes.unknownBecause())
        .vhostNetAvailable(vhostNet)
        .diagnostics(diagnostics)
        .build();
  }

  /**
   * Each VF's administrative state from its PF over netlink: read only when some PF has VFs (on
   * this host that costs one {@code ip} process).
   */
  private List<NetworkFunction> withVfAdminState(List<NetworkFunction> functions, Set<String> routed) {
    boolean anyVfs = functions.stream().anyMatch(f -> f.sriov().filter(s -> !s.vfs().isEmpty()).isPresent());
    if (!anyVfs) {
      return functions;
    }
    AttributeReader files = hostFiles("vf-admin");
    Map<String, Map<Integer, VfAdminState>> admin = files.optionalText(NetlinkLinkSource.PATH)
        .map(json -> VfAdminReader.parse(json, files)).orElse(Map.of());
    return VfAdminReader.attach(functions, admin, routed);
  }

  private List<PciDevice> listPciDevices() {
    AttributeReader files = hostFiles("pci");
    List<PciDevice> listed = new ArrayList<>();
    if (!files.exists(PCI_DEVICES)) {
      files.problem(PCI_DEVICES + ": missing, so no PCI network function is known");
      return listed;
    }
    List<String> names = files.list(PCI_DEVICES);
    // Each entry's link is read in parallel; problems are reported in the listing's order.
    List<Attempt<PciDevice>> entries = Parallel.map(names, name -> {
      PciAddress address;
      try {
        address = PciAddress.parse(name, PCI_DEVICES);
      } catch (RuntimeException e) {
        return new Attempt<>(Optional.empty(), List.of(),
            Diagnostic.of("pci", PCI_DEVICES + "/" + name + ": not a PCI address"));
      }
      List<String> problems = new ArrayList<>();
      Optional<PciDevice> device = files.reportingTo(problems::add)
          .resolveLink(PCI_DEVICES + "/" + name).map(directory -> device(address, directory));
      return new Attempt<>(device, problems, null);
    });
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      entries.get(i).problems().forEach(problem -> diagnostics.add(Diagnostic.of(name, problem)));
      settle(entries.get(i)).ifPresent(listed::add);
    }
    return listed;
  }

  /** A VF whose PF did not list it (PF unreadable, link damaged) is reported, not dropped silently. */
  private void checkEveryVfHasItsPf(List<NetworkFunction> functions, List<PciDevice> vfDevices) {
    Set<PciAddress> reported = new HashSet<>();
    functions.stream()
        .flatMap(f -> f.sriov().stream())
        .flatMap(s -> s.vfs().stream())
        .map(VirtualFunction::address)
        .forEach(reported::add);
    for (PciDevice vf : vfDevices) {
      if (!reported.contains(vf.address)) {
        String pf = vf.files.linkName("physfn").orElse("?");
        vf.problems.add("virtual function of " + pf + ", which does not list it: left out");
      }
    }
  }

  /**
   * Marks the netdevs that the route-side lookup ties to the default route but the device scan
   * did not mark (a damaged or renamed netdev directory, a missing master link): the management
   * NIC must never look free.
   */
  private void markManagementSeenFromTheRoutes(List<NetworkFunction> functions,
      ManagementResolver management, FunctionReader functionReader) {
    management.routeNetdevsByFunction().forEach((address, locations) -> {
      for (int i = 0; i < functions.size(); i++) {
        NetworkFunction function = functions.get(i);
        if (function.address().equals(address)) {
          functions.set(i, withManagementNetdevs(function, locations, functionReader));
          return;
        }
        if (function.sriov().stream().flatMap(s -> s.vfs().stream())
            .anyMatch(vf -> vf.address().equals(address))) {
          functions.set(i, withManagementVf(function, address, locations.get(0).name));
          return;
        }
      }
      diagnostics.add(Diagnostic.of(address.toString(), locations.get(0).name
          + " carries the default route, but its function is not in the inventory"));
    });
  }

  private NetworkFunction withManagementNetdevs(NetworkFunction function,
      List<PciDevice.NetdevLocation> locations, FunctionReader functionReader) {
    List<NetDev> netdevs = new ArrayList<>(function.netdevs());
    List<String> notes = new ArrayList<>();
    for (PciDevice.NetdevLocation location : locations) {
      int index = indexOf(netdevs, location.name);
      if (index >= 0 && netdevs.get(index).management()) {
        continue;
      }
      if (index >= 0) {
        netdevs.set(index, ImmutableNetDev.copyOf(netdevs.get(index)).withManagement(true));
        notes.add(location.name + " carries the default route through an interface that its own"
            + " links do not name; marked as management");
      } else {
        netdevs.add(functionReader.managementNetdev(devices.get(function.address()), location));
        notes.add(location.name + " carries the default route but was not found under the"
            + " function's net/ directory; added from /sys/class/net");
      }
    }
    if (notes.isEmpty()) {
      return function;
    }
    return ImmutableNetworkFunction.copyOf(function).withNetdevs(netdevs)
        .withDiagnostics(concat(function.diagnostics(), notes));
  }

  private static NetworkFunction withManagementVf(NetworkFunction pf, PciAddress vfAddress,
      String netdev) {
    SriovCapability sriov = pf.sriov().orElseThrow();
    List<VirtualFunction> vfs = new ArrayList<>();
    boolean changed = false;
    for (VirtualFunction vf : sriov.vfs()) {
      if (vf.address().equals(vfAddress) && !vf.management()) {
        vfs.add(ImmutableVirtualFunction.copyOf(vf).withManagement(true).withNetdev(netdev));
        changed = true;
      } else {
        vfs.add(vf);
      }
    }
    if (!changed) {
      return pf;
    }
    return ImmutableNetworkFunction.copyOf(pf)
        .withSriov(ImmutableSriovCapability.copyOf(sriov).withVfs(vfs))
        .withDiagnostics(concat(pf.diagnostics(), List.of(vfAddress + ": " + netdev
            + " carries the default route; marked as management")));
  }

  private static int indexOf(List<NetDev> netdevs, String name) {
    for (int i = 0; i < netdevs.size(); i++) {
      if (netdevs.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private static List<NetworkCard> cards(List<NetworkFunction> functions) {
    Map<String, List<NetworkFunction>> bySlot = new TreeMap<>();
    for (NetworkFunction function : functions) {
      bySlot.computeIfAbsent(function.address().slotId(), s -> new ArrayList<>()).add(function);
    }
    List<NetworkCard> cards = new ArrayList<>();
    bySlot.forEach((slot, ports) -> {
      ports.sort((a, b) -> a.address().compareTo(b.address()));
      cards.add(NetworkCard.builder().slotId(slot).ports(ports).build());
    });
    return cards;
  }

  /**
   * Runs one part of the scan; a bug or an unforeseen tree shape there becomes a diagnostic on
   * {@code subject} instead of aborting the whole scan.
   */
  /** What a parallel part produced: its value, the problems it met, or the failure that stopped it. */
  private record Attempt<T>(Optional<T> value, List<String> problems, Diagnostic failure) {}

  /** {@link #guarded} for a parallel part: the failure is kept for {@link #settle}, in order. */
  private static <T> Attempt<T> attempt(String subject, Supplier<T> part) {
    try {
      return new Attempt<>(Optional.of(part.get()), List.of(), null);
    } catch (RuntimeException e) {
      LOG.warn("reading {} failed", subject, e);
      return new Attempt<>(Optional.empty(), List.of(), Diagnostic.of(subject, "could not be read: " + e));
    }
  }

  private <T> Optional<T> settle(Attempt<T> attempt) {
    if (attempt.failure() != null) {
      diagnostics.add(attempt.failure());
    }
    return attempt.value();
  }

  private <T> Optional<T> guarded(String subject, Supplier<T> part) {
    try {
      return Optional.of(part.get());
    } catch (RuntimeException e) {
      LOG.warn("reading {} failed", subject, e);
      diagnostics.add(Diagnostic.of(subject, "could not be read: " + e));
      return Optional.empty();
    }
  }
}
