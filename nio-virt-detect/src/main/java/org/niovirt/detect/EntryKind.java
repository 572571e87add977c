package org.niovirt.detect;

/** What a path names, without following a symlink at its end (as {@code lstat} sees it). */
enum EntryKind {
  FILE, DIRECTORY, SYMLINK, OTHER, MISSING
}
