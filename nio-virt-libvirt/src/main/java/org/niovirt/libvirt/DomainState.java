package org.niovirt.libvirt;

import org.libvirt.DomainInfo;

/** A domain's state (libvirt-java 0.5.4 has no virDomainGetState; this comes from getInfo()). */
public enum DomainState {
  NO_STATE, RUNNING, BLOCKED, PAUSED, SHUTTING_DOWN, SHUT_OFF, CRASHED, PM_SUSPENDED;

  static DomainState of(DomainInfo.DomainState state) {
    return switch (state) {
      case VIR_DOMAIN_RUNNING -> RUNNING;
      case VIR_DOMAIN_BLOCKED -> BLOCKED;
      case VIR_DOMAIN_PAUSED -> PAUSED;
      case VIR_DOMAIN_SHUTDOWN -> SHUTTING_DOWN;
      case VIR_DOMAIN_SHUTOFF -> SHUT_OFF;
      case VIR_DOMAIN_CRASHED -> CRASHED;
      case VIR_DOMAIN_PMSUSPENDED -> PM_SUSPENDED;
      default -> NO_STATE;
    };
  }

  /** For people: {@code running}, {@code shut off}, {@code shutting down}... */
  public String displayName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }

  /** libvirt's own short name, as {@code virsh domstate} and CSS classes use: {@code shutoff}... */
  public String libvirtName() {
    return switch (this) {
      case SHUT_OFF -> "shutoff";
      case SHUTTING_DOWN -> "shutdown";
      case PM_SUSPENDED -> "pmsuspended";
      case NO_STATE -> "nostate";
      default -> name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** Whether the domain has a running QEMU process (it holds its devices either way). */
  public boolean active() {
    return this != SHUT_OFF && this != NO_STATE;
  }
}
