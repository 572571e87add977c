package org.niovirt.libvirt;

import com.sun.jna.Pointer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.libvirt.jna.Libvirt;

/**
 * Waits until libvirt's event loop has dispatched every event it had queued when the wait began.
 * libvirt queues domain events on a zero-delay timer registered when the first listener was added;
 * the loop runs timers in the order they were added, so a zero-delay timer added now fires only
 * after those events went to the listeners. A ledger that asks libvirt something first (so the
 * client read whatever events preceded the reply) and then passes this barrier has seen them all.
 */
final class EventBarrier {
  private static final Map<Long, CountDownLatch> WAITING = new ConcurrentHashMap<>();
  private static final AtomicLong TOKENS = new AtomicLong();
  /**
   * One callback for every barrier, held for the life of the process: JNA builds a native
   * trampoline per callback object (costly) and frees it when the object is collected.
   */
  private static final Libvirt.VirEventTimeoutCallback TICK = (timerId, opaque) -> {
    Libvirt.INSTANCE.virEventRemoveTimeout(timerId);
    CountDownLatch latch = WAITING.remove(Pointer.nativeValue(opaque));
    if (latch != null) {
      latch.countDown();
    }
  };

  private EventBarrier() {}

  /**
   * Returns once the loop went past every event queued before this call, or false after
   * {@code timeoutMillis} (a stuck loop; callers then read everything themselves).
   */
  static boolean pass(long timeoutMillis) {
    long token = TOKENS.incrementAndGet();
    CountDownLatch fired = new CountDownLatch(1);
    WAITING.put(token, fired);
    // The token travels as the opaque pointer's value; libvirt never dereferences it.
    int id = Libvirt.INSTANCE.virEventAddTimeout(0, TICK, new Pointer(token), Pointer.NULL);
    if (id < 0) {
      WAITING.remove(token);
      return false;
    }
    try {
      if (fired.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (WAITING.remove(token) != null) {
      Libvirt.INSTANCE.virEventRemoveTimeout(id);
    }
    return false;
  }
}
