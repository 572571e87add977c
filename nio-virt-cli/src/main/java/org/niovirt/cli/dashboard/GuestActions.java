package org.niovirt.cli.dashboard;

import org.niovirt.cli.common.LaunchValues;

/**
 * The host-changing actions the dashboard offers when started with {@code --enable-actions}. Each
 * returns one line for the user; failures are exceptions of the SDK (bad input, no plan, libvirt).
 */
public interface GuestActions {
  /** Plans and launches a guest from typed values; host paths in them were checked already. */
  String launch(LaunchValues values);

  /** Shuts a guest down and releases its devices. */
  String stop(String name);
}
