package org.niovirt.libvirt;

/** Told when a launch reaches a {@link LaunchPhase}; runs on the launching thread, under the lock. */
@FunctionalInterface
public interface LaunchListener {
  void reached(String guest, LaunchPhase phase);
}
