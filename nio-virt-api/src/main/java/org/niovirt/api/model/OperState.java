package org.niovirt.api.model;

import java.util.Locale;

/** A netdev's RFC 2863 operational state, as in {@code /sys/class/net/IF/operstate}. */
public enum OperState {
  UP, DOWN, DORMANT, TESTING, LOWERLAYERDOWN, NOTPRESENT, UNKNOWN;

  /**
   * Whether traffic may flow: up, or a state that does not say (many virtual and some physical
   * drivers report {@code unknown} while they pass packets). Down, lower layer down and not present
   * carry nothing.
   */
  public boolean mayCarryTraffic() {
    return this != DOWN && this != LOWERLAYERDOWN && this != NOTPRESENT;
  }

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
