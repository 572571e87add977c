package org.niovirt.api.text;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Text built the first time someone reads it, then kept: a planner batch judges every candidate
 * for every NIC, and most of those explanations are never shown. Thread-safe; the supplier runs
 * at most once per thread that races for the first read, and every reader sees the same text.
 */
public final class LazyText implements Supplier<String> {
  private Supplier<String> source;
  private volatile String text;

  private LazyText(Supplier<String> source) {
    this.source = source;
  }

  /** {@code source} as lazily built, kept text ({@code source} itself when it already is). */
  public static LazyText of(Supplier<String> source) {
    Objects.requireNonNull(source, "source");
    return source instanceof LazyText lazy ? lazy : new LazyText(source);
  }

  /** Text that is already built. */
  public static LazyText now(String text) {
    LazyText lazy = new LazyText(null);
    lazy.text = Objects.requireNonNull(text, "text");
    return lazy;
  }

  @Override
  public String get() {
    String built = text;
    if (built == null) {
      synchronized (this) {
        built = text;
        if (built == null) {
          built = Objects.requireNonNull(source.get(), "a reason's text");
          text = built;
          source = null; // let what the supplier captured go
        }
      }
    }
    return built;
  }

  @Override
  public String toString() {
    return get();
  }
}
