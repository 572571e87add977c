package org.niovirt.detect;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Counts the detector's reads per path and lets a test act after a read (e.g. delete a device). */
final class CountingSource implements TreeSource {
  private final TreeSource delegate;
  final Map<String, Integer> reads = new java.util.concurrent.ConcurrentSkipListMap<>();
  final Map<String, Integer> linkReads = new java.util.concurrent.ConcurrentSkipListMap<>();
  private Consumer<String> afterRead = path -> { };

  CountingSource(TreeSource delegate) {
    this.delegate = delegate;
  }

  CountingSource afterRead(Consumer<String> hook) {
    this.afterRead = hook;
    return this;
  }

  @Override
  public EntryKind kind(String path) throws IOException {
    return delegate.kind(path);
  }

  @Override
  public String readLink(String path) throws IOException {
    linkReads.merge(path, 1, Integer::sum);
    return delegate.readLink(path);
  }

  @Override
  public byte[] read(String path) throws IOException {
    reads.merge(path, 1, Integer::sum);
    try {
      return delegate.read(path);
    } finally {
      afterRead.accept(path);
    }
  }

  @Override
  public List<String> list(String path) throws IOException {
    return delegate.list(path);
  }
}
