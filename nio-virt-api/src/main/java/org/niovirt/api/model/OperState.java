package org.niovirt.api.model;

import java.util.Locale;

/** A netdev's RFC 2863 operational state, as in {@code /sys/class/net/IF/operstate}. */
public enum OperState {
  UP, DOWN, DORMANT, TESTING, LOWERLAYERDOWN, NOTPRESENT, UNKNOWN;

  /** Maps the sysfs text; anything unrecognised is {@link #UNKNOWN}. */
  public static OperState fromSysfs(String text) {
    if (text == null) {
      return UNKNOWN;
    }
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }
}
