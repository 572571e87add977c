package org.niovirt.detect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which netdevs the host needs for its own traffic: those carrying the default route and
 * those under an interface that does (a bridge, bond or VLAN on top of them, found through the
 * {@code master} and {@code upper_*} links), since giving those away cuts the host off.
 */
final class ManagementResolver {
  private static final String CLASS_NET = "sys/class/net/";
  private static final int MAX_STACK_DEPTH = 16;

  private final Set<String> routeInterfaces;
  private final RootedTree tree;
  private final Map<String, List<String>> uppersOfVirtual = new HashMap<>();

  ManagementResolver(Set<String> routeInterfaces, RootedTree tree) {
    this.routeInterfaces = routeInterfaces;
    this.tree = tree;
  }

  Set<String> routeInterfaces() {
    return routeInterfaces;
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
