package org.niovirt.detect;

/** What a path names, without following a symlink at its end (as {@code lstat} sees it). */
public enum EntryKind {
  FILE, DIRECTORY, SYMLINK, OTHER, MISSING;

  /** The kind of an entry that exists, from its lstat-style flags (a link wins). */
  public static EntryKind of(boolean symbolicLink, boolean directory, boolean regularFile) {
    if (symbolicLink) {
      return SYMLINK;
    }
    if (directory) {
      return DIRECTORY;
    }
    return regularFile ? FILE : OTHER;
  }
}
