package org.niovirt.libvirt;

import java.nio.file.Path;
import java.util.OptionalLong;

/** The host-wide launch lock could not be taken: held too long by another process, or unsafe. */
public final class HostLockException extends HostPreparationException {
  private final Path lockFile;
  private final OptionalLong holderPid;

  public HostLockException(Path lockFile, String problem, String hint, OptionalLong holderPid,
      Throwable cause) {
    super(problem, hint, cause);
    this.lockFile = lockFile;
    this.holderPid = holderPid;
  }

  public Path lockFile() {
    return lockFile;
  }

  /** The process holding the lock, when it wrote its PID into the file. */
  public OptionalLong holderPid() {
    return holderPid;
  }
}
