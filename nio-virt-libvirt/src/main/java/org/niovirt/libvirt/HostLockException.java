package org.niovirt.libvirt;

import java.nio.file.Path;
import java.util.OptionalLong;

/** The host-wide launch lock could not be taken: held too long by another process, or unsafe. */
public final class HostLockException extends HostPreparationException {
  private final Path lockFile;
  private final String hint;
  private final OptionalLong holderPid;

  HostLockException(Path lockFile, String problem, String hint, OptionalLong holderPid, Throwable cause) {
    super(problem + ". Hint: " + hint, cause);
    this.lockFile = lockFile;
    this.hint = hint;
    this.holderPid = holderPid;
  }

  public Path lockFile() {
    return lockFile;
  }

  /** What the user can do about it. */
  public String hint() {
    return hint;
  }

  /** The process holding the lock, when it wrote its PID into the file. */
  public OptionalLong holderPid() {
    return holderPid;
  }
}
