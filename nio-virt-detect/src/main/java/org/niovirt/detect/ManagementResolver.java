package org.niovirt.detect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.niovirt.api.model.PciAddress;

/**
 * Decides which netdevs the host needs for its own traffic: those carrying the default route and
 * those under an interface that does (a bridge, bond or VLAN on top of them, found through the
 * {@code master} and {@code upper_*} links), since giving those away cuts the host off.
 */
final class ManagementResolver {
  private static final String CLASS_NET = "sys/class/net/";
  private static final int MAX_STACK_DEPTH = 16;
  private static final Pattern PCI_ADDRESS =
      Pattern.compile("[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");

  private final Set<String> routeInterfaces;
  private final RootedTree tree;
  private final Map<String, List<String>> uppersOfVirtual = new ConcurrentHashMap<>();
  /** Whether some route interface is not itself a PCI function's netdev; null until known. */
  private volatile Boolean virtualRouteInterface;

  ManagementResolver(Set<String> routeInterfaces, RootedTree tree) {
    this.routeInterfaces = routeInterfaces;
    this.tree = tree;
  }

  Set<String> routeInterfaces() {
    return routeInterfaces;
  }

  /**
   * Whether the netdev that {@code files} reads carries the host's traffic. Its stacked
   * interfaces are listed only when a route interface is virtual (a bridge, bond or VLAN): when
   * every route interface is a PCI netdev itself, nothing stacked on another netdev can be one,
   * and each netdev's directory is not listed for nothing.
   */
  boolean isManagement(String name, AttributeReader files) {
    if (routeInterfaces.contains(name)) {
      return true;
    }
    return hasVirtualRouteInterface() && isManagement(name, uppers(files));
  }

  private boolean hasVirtualRouteInterface() {
    if (virtualRouteInterface == null) {
      AttributeReader files = new AttributeReader(tree, "", message -> { });
      virtualRouteInterface = routeInterfaces.stream().anyMatch(name -> name.contains("/")
          || files.resolveQuietly(CLASS_NET + name).flatMap(ManagementResolver::pciFunctionOf).isEmpty());
    }
    return virtualRouteInterface;
  }

  /** The interfaces stacked directly on a netdev whose directory {@code files} reads. */
  static List<String> uppers(AttributeReader files) {
    List<String> uppers = new ArrayList<>();
    for (String entry : files.list("")) {
      if (entry.startsWith("upper_")) {
        files.exists(entry); // keeps the link in a snapshot
        uppers.add(entry.substring("upper_".length()));
      } else if (entry.equals("master")) {
        files.linkName("master").ifPresent(uppers::add);
      }
    }
    return uppers;
  }

  boolean isManagement(String name, List<String> uppers) {
    if (routeInterfaces.contains(name)) {
      return true;
    }
    Set<String> seen = new HashSet<>(Set.of(name));
    Deque<String> pending = new ArrayDeque<>(uppers);
    while (!pending.isEmpty() && seen.size() <= MAX_STACK_DEPTH) {
      String upper = pending.pop();
      if (!seen.add(upper)) {
        continue;
      }
      if (routeInterfaces.contains(upper)) {
        return true;
      }
      pending.addAll(uppersOfVirtual(upper));
    }
    return false;
  }

  /**
   * The netdevs behind the default route by PCI function, found from the other end: each route
   * interface through /sys/class/net, and for a bridge, bond or VLAN its {@code lower_*} links
   * down to the physical netdevs. A cross-check of the device listing, so that a damaged or
   * renamed netdev directory cannot hide the management NIC.
   */
  Map<PciAddress, List<PciDevice.NetdevLocation>> routeNetdevsByFunction() {
    Map<PciAddress, List<PciDevice.NetdevLocation>> byFunction = new TreeMap<>();
    AttributeReader files = new AttributeReader(tree, "", message -> { });
    Set<String> seen = new HashSet<>();
    Deque<String> pending = new ArrayDeque<>(routeInterfaces);
    while (!pending.isEmpty() && seen.size() <= MAX_STACK_DEPTH) {
      String name = pending.pop();
      if (!seen.add(name) || name.contains("/") || name.equals("..") || name.equals(".")) {
        continue;
      }
      Optional<String> directory = files.resolveQuietly(CLASS_NET + name);
      if (directory.isEmpty()) {
        continue;
      }
      Optional<PciAddress> function = pciFunctionOf(directory.get());
      if (function.isPresent()) {
        byFunction.computeIfAbsent(function.get(), f -> new ArrayList<>())
            .add(new PciDevice.NetdevLocation(name, directory.get()));
        continue;
      }
      AttributeReader virtual = new AttributeReader(tree, directory.get(), message -> { });
      for (String entry : virtual.list("")) {
        if (entry.startsWith("lower_")) {
          virtual.exists(entry); // keeps the link in a snapshot
          pending.add(entry.substring("lower_".length()));
        }
      }
    }
    return byFunction;
  }

  /** The nearest PCI function above a netdev directory (a virtio netdev sits under virtioN). */
  private static Optional<PciAddress> pciFunctionOf(String netdevDirectory) {
    String[] components = netdevDirectory.split("/");
    for (int i = components.length - 1; i >= 0; i--) {
      if (PCI_ADDRESS.matcher(components[i]).matches()) {
        return Optional.of(PciAddress.parse(components[i]));
      }
    }
    return Optional.empty();
  }

  /** Uppers of a bridge, bond or VLAN: read once per scan, through /sys/class/net. */
  private List<String> uppersOfVirtual(String name) {
    return uppersOfVirtual.computeIfAbsent(name, n -> {
      if (n.contains("/") || n.equals("..") || n.equals(".")) {
        return List.of();
      }
      AttributeReader files = new AttributeReader(tree, "", message -> { });
      return files.resolveQuietly(CLASS_NET + n)
          .map(directory -> uppers(new AttributeReader(tree, directory, message -> { })))
          .orElse(List.of());
    });
  }
}
