package org.niovirt.api.plan;

/** A change the host needs before the guest can start; undone if the start fails. */
public sealed interface HostAction permits SetNumVfs, LinkUp {
  /** One line for people, e.g. {@code set sriov_numvfs of 0000:01:00.0 from 0 to 2}. */
  String describe();

  /**
   * What this action changes, e.g. one PF's {@code sriov_numvfs}: the planner merges the actions
   * of a batch that change the same thing into one ({@link #mergedWith}), done for the first
   * guest that needs it. By default every action is its own.
   */
  default Object mergeKey() {
    return this;
  }

  /** This action and {@code other}, which has the same {@link #mergeKey}, as one. */
  default HostAction mergedWith(HostAction other) {
    return this;
  }

  /** Actions run in ascending stage (VFs exist before links are raised), in plan order within one. */
  default int stage() {
    return 0;
  }
}
