package org.niovirt.libvirt;

/**
 * Told when a launch reaches a {@link LaunchPhase}; runs on the launching thread, under the lock.
 * An exception thrown before {@link LaunchPhase#STARTED} aborts the launch (which is undone); one
 * thrown at STARTED is logged, and the guest keeps running.
 */
@FunctionalInterface
public interface LaunchListener {
  void reached(String guest, LaunchPhase phase);
}
