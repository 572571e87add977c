package org.niovirt.detect;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.List;
import java.util.function.Predicate;

/** A tree as a user without privileges sees it: some files or directories are root-only. */
final class DenyingSource implements TreeSource {
  private final TreeSource delegate;
  private final Predicate<String> readDenied;
  private final Predicate<String> listDenied;

  DenyingSource(TreeSource delegate, Predicate<String> readDenied, Predicate<String> listDenied) {
    this.delegate = delegate;
    this.readDenied = readDenied;
    this.listDenied = listDenied;
  }

  @Override
  public EntryKind kind(String path) throws IOException {
    return delegate.kind(path);
  }

  @Override
  public String readLink(String path) throws IOException {
    return delegate.readLink(path);
  }

  @Override
  public byte[] read(String path) throws IOException {
    if (readDenied.test(path)) {
      throw new AccessDeniedException(path);
    }
    return delegate.read(path);
  }

  @Override
  public List<String> list(String path) throws IOException {
    if (listDenied.test(path)) {
      throw new AccessDeniedException(path);
    }
    return delegate.list(path);
  }
}
