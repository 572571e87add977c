package org.niovirt.detect;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** The interfaces carrying a default route, from {@code /proc/net/route} and {@code ipv6_route}. */
final class RouteTable {
  private static final int RTF_UP = 0x1;
  private static final int RTF_REJECT = 0x200;
  private static final String IPV6_ANY = "00000000000000000000000000000000";

  private RouteTable() {}

  /**
   * IPv4: columns Iface, Destination, Gateway, Flags, RefCnt, Use, Metric, Mask...; the default
   * route has destination and mask 00000000.
   */
  static Set<String> defaultRouteInterfaces(
      Optional<String> ipv4Table, Optional<String> ipv6Table, AttributeReader problems) {
    return read(ipv4Table, ipv6Table, problems).interfaces();
  }

  /**
   * The default-route interfaces, and why they cannot be trusted when the IPv4 table is missing,
   * unreadable or damaged: then any interface might be the way out.
   */
  static Routes read(Optional<String> ipv4Table, Optional<String> ipv6Table, AttributeReader problems) {
    Set<String> interfaces = new LinkedHashSet<>();
    Set<String> routed = new LinkedHashSet<>();
    int problemsBefore = problems.problemCount();
    Optional<String> unknown = ipv4Table.isEmpty()
        ? Optional.of("proc/net/route is missing or unreadable")
        : ipv4Table.filter(t -> !t.startsWith("Iface")).map(t -> "proc/net/route does not start"
            + " with its header line 'Iface ...'");
    ipv4Table.ifPresent(table -> {
      String[] lines = table.split("\n");
      for (int i = 1; i < lines.length; i++) {
        String[] columns = lines[i].trim().split("\\s+");
        if (columns.length < 8) {
          if (!lines[i].isBlank()) {
            problems.problem("proc/net/route: line " + (i + 1) + " has " + columns.length
                + " columns, expected 11: '" + AttributeReader.abbreviate(lines[i]) + "'");
          }
          continue;
        }
        boolean up = (flags(columns[3], "proc/net/route", problems) & RTF_UP) != 0;
        if (up) {
          routed.add(columns[0]);
        }
        if (up && columns[1].equals("00000000") && columns[7].equals("00000000")) {
          interfaces.add(columns[0]);
        }
      }
    });
    // IPv6: dest, dest prefix, src, src prefix, next hop, metric, refcnt, use, flags, iface. The
    // kernel keeps a rejecting default route on lo, which is not a way out.
    ipv6Table.ifPresent(table -> {
      for (String line : table.split("\n")) {
        String[] columns = line.trim().split("\\s+");
        if (columns.length < 10) {
          continue;
        }
        boolean isDefault = columns[0].equals(IPV6_ANY) && columns[1].equals("00");
        // Link-local (fe80::/10) and multicast (ff00::/8) routes come with every interface that is
        // up: only other routes say that it has an address.
        boolean global = !columns[0].startsWith("fe8") && !columns[0].startsWith("ff");
        int flags = isDefault || global ? flags(columns[8], "proc/net/ipv6_route", problems) : 0;
        if ((flags & RTF_UP) == 0 || (flags & RTF_REJECT) != 0) {
          continue;
        }
        if (isDefault) {
          interfaces.add(columns[9]);
        }
        if (!columns[9].equals("lo")) {
          routed.add(columns[9]);
        }
      }
    });
    if (unknown.isEmpty() && problems.problemCount() > problemsBefore) {
      unknown = Optional.of("the route tables are damaged (see the routes diagnostics)");
    }
    return new Routes(interfaces, routed, unknown);
  }

  /**
   * Default-route interfaces; interfaces with any route (an address gives one); {@code
   * unknownBecause} is present when they may be incomplete.
   */
  record Routes(Set<String> interfaces, Set<String> routed, Optional<String> unknownBecause) {}

  /** Route flags are hex; unparseable flags count as a route that is not up. */
  private static int flags(String hex, String file, AttributeReader problems) {
    try {
      return Integer.parseUnsignedInt(hex, 16);
    } catch (NumberFormatException e) {
      problems.problem(file + ": flags '" + AttributeReader.abbreviate(hex) + "' are not hex");
      return 0;
    }
  }
}
