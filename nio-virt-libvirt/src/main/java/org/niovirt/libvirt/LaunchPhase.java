package org.niovirt.libvirt;

/** The steps of {@link LibvirtHost#launch}, in order; ROLLED_BACK only after a failure. */
public enum LaunchPhase {
  /** The host-wide lock is held and left-overs of dead launchers are reconciled. */
  LOCKED,
  /** A plan exists and none of its devices is held by a defined domain. */
  PLANNED,
  /** The journal entry is written; the host is about to change. */
  JOURNALED,
  /** VFs exist and PF links are up. */
  HOST_PREPARED,
  /** About to ask libvirt to define the domain (marked "launch pending" in its metadata). */
  DEFINING,
  DEFINED,
  /** About to ask libvirt to start it. */
  STARTING,
  /** It runs; its "launch pending" mark is being cleared. */
  STARTED,
  /** The start failed and every change of this launch was undone. */
  ROLLED_BACK
}
