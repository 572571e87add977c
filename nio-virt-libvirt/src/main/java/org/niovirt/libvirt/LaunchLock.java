package org.niovirt.libvirt;

/**
 * The host-wide lock every launch, repair and reconcile on one host holds: {@code flock(2)} on
 * {@link LibvirtHostOptions#lockFile} of that host, taken here or, for a host reached over SSH,
 * on that host (so launchers on several machines exclude each other there).
 */
public interface LaunchLock {
  /** Waits at most the options' timeout; close the result to release the lock. */
  Hold acquire();

  /** A held lock. */
  interface Hold extends AutoCloseable {
    @Override
    void close();
  }
}
