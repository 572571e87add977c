package org.niovirt.libvirt;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.Libvirt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells which domain changed, straight from libvirt's C callbacks: lifecycle changes (define,
 * undefine, start, stop, ...), devices hot-plugged or unplugged (libvirt-java has no listener for
 * those, yet a hostdev attached to a running domain is a device in use) and metadata changes.
 * Only the UUID is read in the callback: no Java domain object, no second call into libvirt.
 */
final class DomainEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DomainEvents.class);
  /** libvirt's virDomainEventID values. */
  private static final int LIFECYCLE = 0;
  private static final int DEVICE_REMOVED = 15;
  private static final int DEVICE_ADDED = 19;
  private static final int METADATA_CHANGE = 23;

  /** virConnectDomainEventCallback. */
  interface LifecycleCallback extends Libvirt.VirDomainEventCallback {
    int eventCallback(ConnectionPointer connection, DomainPointer domain, int event, int detail, Pointer opaque);
  }

  /** virConnectDomainEventDeviceAddedCallback and ...DeviceRemovedCallback. */
  interface DeviceCallback extends Libvirt.VirDomainEventCallback {
    void eventCallback(ConnectionPointer connection, DomainPointer domain, String alias, Pointer opaque);
  }

  /** virConnectDomainEventMetadataChangeCallback. */
  interface MetadataCallback extends Libvirt.VirDomainEventCallback {
    void eventCallback(ConnectionPointer connection, DomainPointer domain, int type, String namespace,
        Pointer opaque);
  }

  private final ConnectionPointer connection;
  private final List<Integer> registrations = new ArrayList<>();
  // Fields, not locals: JNA frees a callback's native stub once its Java object is collected.
  private final LifecycleCallback lifecycle;
  private final DeviceCallback device;
  private final MetadataCallback metadata;

  /** The lifecycle event type given for device and metadata events. */
  static final int NOT_LIFECYCLE = -1;

  private DomainEvents(ConnectionPointer connection, BiConsumer<UUID, Integer> changed, Runnable unknown) {
    this.connection = connection;
    this.lifecycle = (c, domain, event, detail, opaque) -> {
      report(domain, event, changed, unknown);
      return 0;
    };
    this.device = (c, domain, alias, opaque) -> report(domain, NOT_LIFECYCLE, changed, unknown);
    this.metadata = (c, domain, type, namespace, opaque) -> report(domain, NOT_LIFECYCLE, changed, unknown);
  }

  /**
   * Calls {@code changed} with the UUID of each domain an event names and the lifecycle event
   * type (virDomainEventType, or {@link #NOT_LIFECYCLE}); {@code unknown} when its UUID cannot be
   * read. On libvirt's event thread; fails when the connection has no events.
   */
  static DomainEvents register(ConnectionPointer connection, BiConsumer<UUID, Integer> changed,
      Runnable unknown) {
    DomainEvents events = new DomainEvents(connection, changed, unknown);
    try {
      events.add(LIFECYCLE, events.lifecycle, true);
      events.add(DEVICE_ADDED, events.device, false);
      events.add(DEVICE_REMOVED, events.device, false);
      events.add(METADATA_CHANGE, events.metadata, false);
      return events;
    } catch (RuntimeException e) {
      events.close();
      throw e;
    }
  }

  private void add(int eventId, Libvirt.VirDomainEventCallback callback, boolean required) {
    int id = Libvirt.INSTANCE.virConnectDomainEventRegisterAny(connection, null, eventId, callback,
        Pointer.NULL, null);
    if (id >= 0) {
      registrations.add(id);
    } else if (required) {
      throw new IllegalStateException("libvirt refused domain events on this connection");
    } else {
      // An older libvirt without this event: the periodic full read covers what it would report.
      LOG.debug("libvirt has no domain event {} here", eventId);
    }
  }

  private static void report(DomainPointer domain, int event, BiConsumer<UUID, Integer> changed,
      Runnable unknown) {
    byte[] raw = new byte[16];
    if (domain == null || Libvirt.INSTANCE.virDomainGetUUID(domain, raw) < 0) {
      unknown.run();
      return;
    }
    ByteBuffer bytes = ByteBuffer.wrap(raw);
    changed.accept(new UUID(bytes.getLong(), bytes.getLong()), event);
  }

  @Override
  public void close() {
    for (int id : registrations) {
      Libvirt.INSTANCE.virConnectDomainEventDeregisterAny(connection, id);
    }
    registrations.clear();
  }
}
