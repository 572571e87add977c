package org.niovirt.libvirt;

import org.niovirt.api.error.NioVirtException;

/** The host could not be prepared for a guest (sriov_numvfs, link state), or not put back. */
public class HostPreparationException extends NioVirtException {
  public HostPreparationException(String message) {
    super(message);
  }

  public HostPreparationException(String message, Throwable cause) {
    super(message, cause);
  }

  public HostPreparationException(String problem, String hint, Throwable cause) {
    super(problem, hint, cause);
  }
}
