package org.niovirt.examples.dashboard;

import java.util.Map;

/**
 * The host-changing actions the dashboard offers when started with {@code --enable-actions}. Each
 * returns one line for the user; failures are exceptions of the SDK (bad input, no plan, libvirt).
 */
public interface GuestActions {
  /**
   * Plans and launches a guest. {@code options} are the launcher's guest options without the
   * leading dashes, e.g. {@code {"name": "web1", "nics": 2, "pin": "sriov"}}.
   */
  String launch(Map<String, Object> options);

  /** Shuts a guest down and releases its devices. */
  String stop(String name);
}
