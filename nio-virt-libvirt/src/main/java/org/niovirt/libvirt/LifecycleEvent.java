package org.niovirt.libvirt;

import org.immutables.value.Value;

/** A domain lifecycle event from libvirt, e.g. {@code web1 STARTED BOOTED}. */
@Value.Immutable
public interface LifecycleEvent {
  String domain();

  /** libvirt's event type: DEFINED, UNDEFINED, STARTED, SUSPENDED, RESUMED, STOPPED, SHUTDOWN, ... */
  String type();

  /** libvirt's detail of that type, e.g. BOOTED, DESTROYED, SHUTDOWN. */
  String detail();

  static ImmutableLifecycleEvent.Builder builder() {
    return ImmutableLifecycleEvent.builder();
  }
}
