package org.niovirt.libvirt;

import com.sun.jna.Pointer;
import org.libvirt.Connect;
import org.libvirt.ErrorCallback;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.jna.virError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process-wide libvirt setup, done once before the first connection: an error callback (without
 * one libvirt prints every error to stderr, even those we handle) and the default event loop on a
 * daemon thread (events and keep-alives of remote connections need it registered before open).
 */
final class LibvirtRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(LibvirtRuntime.class);
  /** Kept in a static field: JNA frees a callback whose Java object is garbage collected. */
  private static final ErrorCallback ERROR_CALLBACK = new ErrorCallback() {
    @Override
    public void errorCallback(Pointer userData, virError error) {
      LOG.debug("libvirt: {} (code {})", error.message, error.code);
    }
  };
  static final String EVENT_THREAD = "libvirt-event-loop";
  private static boolean initialized;

  private LibvirtRuntime() {}

  static synchronized void ensureInitialized() {
    if (initialized) {
      return;
    }
    try {
      Connect.setErrorCallback(ERROR_CALLBACK);
      Library.initEventLoop();
    } catch (LibvirtException e) {
      throw new LibvirtOperationException("initialize libvirt", e);
    }
    Thread loop = new Thread(LibvirtRuntime::runEventLoop, EVENT_THREAD);
    loop.setDaemon(true);
    loop.start();
    initialized = true;
  }

  private static void runEventLoop() {
    try {
      Library.runEventLoop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (LibvirtException e) {
      LOG.error("libvirt's event loop stopped; domain events will no longer arrive", e);
    }
  }
}
