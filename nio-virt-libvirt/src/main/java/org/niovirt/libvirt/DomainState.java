package org.niovirt.libvirt;

import org.libvirt.DomainInfo;

/** A domain's state (libvirt-java 0.5.4 has no virDomainGetState; this comes from getInfo()). */
public enum DomainState {
  NO_STATE, RUNNING, BLOCKED, PAUSED, SHUTTING_DOWN, SHUT_OFF, CRASHED, PM_SUSPENDED;

  static DomainState of(DomainInfo.DomainState state) {
    switch (state) {
      case VIR_DOMAIN_RUNNING: return RUNNING;
      case VIR_DOMAIN_BLOCKED: return BLOCKED;
      case VIR_DOMAIN_PAUSED: return PAUSED;
      case VIR_DOMAIN_SHUTDOWN: return SHUTTING_DOWN;
      case VIR_DOMAIN_SHUTOFF: return SHUT_OFF;
      case VIR_DOMAIN_CRASHED: return CRASHED;
      case VIR_DOMAIN_PMSUSPENDED: return PM_SUSPENDED;
      default: return NO_STATE;
    }
  }

  /** Whether the domain has a running QEMU process (it holds its devices either way). */
  public boolean active() {
    return this != SHUT_OFF && this != NO_STATE;
  }
}
