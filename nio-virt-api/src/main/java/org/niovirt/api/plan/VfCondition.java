package org.niovirt.api.plan;

import org.niovirt.api.model.VfAdminState;

/**
 * What a VF is to the host now: free, held by a libvirt domain, orphaned (an earlier owner's MAC or
 * VLAN is still set on it), foreign (something that is not a libvirt domain uses it) or lost (its
 * PF lists it but it is absent). Only free and orphaned VFs can be given to a guest.
 */
public sealed interface VfCondition {
  /** One word for tables and JSON: {@code free}, {@code held}, ... (the variant's name). */
  default String label() {
    return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  /** The condition with its facts, in words. */
  String describe();

  /** Whether the planner may give this VF to a new guest. */
  default boolean assignable() {
    return false;
  }

  /** Nobody holds it and it carries no earlier owner's MAC or VLAN. */
  record Free() implements VfCondition {
    @Override
    public String describe() {
      return "free";
    }

    @Override
    public boolean assignable() {
      return true;
    }
  }

  /** A defined libvirt domain (running or not) holds it: libvirt's domains are the record. */
  record Held(String guest) implements VfCondition {
    @Override
    public String describe() {
      return "held by guest " + guest;
    }
  }

  /** No domain holds it, but its PF still carries an earlier owner's MAC or VLAN for it. */
  record Orphaned(VfAdminState admin) implements VfCondition {
    @Override
    public String describe() {
      return "orphaned: no domain holds it, but its PF still sets " + admin.describeAddress()
          + " on it ('nio-virt host repair' clears it)";
    }

    @Override
    public boolean assignable() {
      return true;
    }
  }

  /** Something other than a libvirt domain uses it: the host's stack, a DPDK application. */
  record Foreign(String user) implements VfCondition {
    @Override
    public String describe() {
      return "foreign: " + user;
    }
  }

  /** Its PF lists it ({@code sriov_numvfs} counts it) but its function is absent from sysfs. */
  record Lost(int numVfs) implements VfCondition {
    @Override
    public String describe() {
      return "lost: its PF counts it (sriov_numvfs " + numVfs + ") but the function is absent;"
          + " re-creating the PF's VFs (through 0) brings it back";
    }
  }
}
