package org.niovirt.cli.dashboard;

import java.util.regex.Pattern;

/** The name part of an HTTP {@code Host} header, and whether it is an IP address literal. */
final class HostNames {
  private static final Pattern IPV4 = Pattern.compile(
      "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.]+(%[0-9A-Za-z._-]+)?]");

  private HostNames() {}

  /** {@code example:8470} -> {@code example}; {@code [::1]:8470} -> {@code [::1]}. */
  static String withoutPort(String header) {
    String host = header.trim();
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  /** A dotted IPv4 address or a bracketed IPv6 address, never a name (a name can be rebound). */
  static boolean isAddressLiteral(String host) {
    return IPV4.matcher(host).matches() || IPV6.matcher(host).matches();
  }
}
