package org.niovirt.detect;

import java.io.IOException;
import java.util.List;

/**
 * The raw entries of a host tree (a real root directory or a snapshot), addressed by paths
 * relative to the root such as {@code sys/bus/pci/devices}. Paths given here never contain
 * symlinks except possibly as their last component: {@link RootedTree} resolves links itself, so
 * that a captured tree's links can never lead outside it.
 */
interface TreeSource {
  /** The entry's kind, not following a link at the end; {@link EntryKind#MISSING} if absent. */
  EntryKind kind(String path) throws IOException;

  String readLink(String path) throws IOException;

  byte[] read(String path) throws IOException;

  /** Names in the directory, sorted. */
  List<String> list(String path) throws IOException;
}
