package org.niovirt.api.plan;

/** A change the host needs before the guest can start; undone if the start fails. */
public sealed interface HostAction permits SetNumVfs, LinkUp {
  /** One line for people, e.g. {@code set sriov_numvfs of 0000:01:00.0 from 0 to 2}. */
  String describe();
}
