package org.niovirt.libvirt;

/**
 * One host change of a launch with the state before it, so it can be reverted by this process on
 * a failed start, or by the next run when this process was killed half-way.
 */
public sealed interface HostChange permits NumVfsChange, LinkChange {
  String describe();
}
