package org.niovirt.detect;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Runs one piece of a scan per item on the common fork-join pool, results in the items' order:
 * reading a device is mostly waiting on the kernel, and a second core halves a big host's scan.
 * Small lists stay on the calling thread, where handing work over would cost more than it saves.
 */
final class Parallel {
  /** Below this many small items (a link, a file) a scan reads on its own thread. */
  static final int MIN_ITEMS = 64;

  /** Off in tests that compare a scan on one thread with a shared one. */
  private static volatile boolean enabled = true;

  private Parallel() {}

  static void enable(boolean on) {
    enabled = on;
  }

  /** For items of a few reads each: parallel from {@link #MIN_ITEMS} items on. */
  static <T, R> List<R> map(List<T> items, Function<T, R> work) {
    return map(items, MIN_ITEMS, work);
  }

  /** Parallel from {@code minItems} on: fewer for items that are big (a PF with all its VFs). */
  static <T, R> List<R> map(List<T> items, int minItems, Function<T, R> work) {
    if (!enabled || items.size() < minItems) {
      return items.stream().map(work).collect(Collectors.toList());
    }
    return IntStream.range(0, items.size()).parallel()
        .mapToObj(i -> work.apply(items.get(i)))
        .collect(Collectors.toList());
  }
}
