package org.niovirt.detect;

import java.io.IOException;
import java.util.List;

/**
 * The raw entries of a host tree (a real root directory or a snapshot), addressed by paths
 * relative to the root such as {@code sys/bus/pci/devices}. Paths given here never contain
 * symlinks except possibly as their last component: {@link RootedTree} resolves links itself, so
 * that a captured tree's links can never lead outside it. Public so that other modules can serve a
 * tree from elsewhere (a remote host over SFTP) to {@link HostDetector#forTree}.
 */
public interface TreeSource {
  /**
   * The one file a live host's tree serves that sysfs lacks: what {@link #IP_LINK_COMMAND} reports
   * (the PFs' netlink view of their VFs). A snapshot records it; a capture replays it.
   */
  String IP_LINK_DIRECTORY = "nio-virt";
  String IP_LINK_PATH = IP_LINK_DIRECTORY + "/ip-link.json";
  /** Fixed: nothing in it comes from input. */
  List<String> IP_LINK_COMMAND = List.of("ip", "-j", "link", "show");

  /** The entry's kind, not following a link at the end; {@link EntryKind#MISSING} if absent. */
  EntryKind kind(String path) throws IOException;

  String readLink(String path) throws IOException;

  byte[] read(String path) throws IOException;

  /** Names in the directory, sorted. */
  List<String> list(String path) throws IOException;

  /** The most bytes a source should read from {@code path}: more is damage, not a kernel file. */
  static int maxBytes(String path) {
    return ReadLimits.maxBytes(path);
  }
}
