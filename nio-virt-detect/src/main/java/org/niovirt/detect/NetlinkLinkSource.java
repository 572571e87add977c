package org.niovirt.detect;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * This host's tree plus one file that sysfs lacks: {@value #PATH}, what {@code ip -j link show}
 * reports (each PF's {@code vfinfo_list}: the MAC, VLAN, spoof check and trust it keeps for its
 * VFs, only known over netlink). Served as a file so that a snapshot records it and a capture
 * replays it like any sysfs attribute. The command is fixed: no part of it comes from input.
 */
final class NetlinkLinkSource implements TreeSource {
  static final String DIRECTORY = IP_LINK_DIRECTORY;
  static final String PATH = IP_LINK_PATH;
  private static final long TIMEOUT_SECONDS = 10;

  private final TreeSource host;

  NetlinkLinkSource(TreeSource host) {
    this.host = host;
  }

  @Override
  public EntryKind kind(String path) throws IOException {
    if (path.equals(DIRECTORY)) {
      return EntryKind.DIRECTORY;
    }
    return path.equals(PATH) ? EntryKind.FILE : host.kind(path);
  }

  @Override
  public String readLink(String path) throws IOException {
    return host.readLink(path);
  }

  @Override
  public byte[] read(String path) throws IOException {
    return path.equals(PATH) ? runIpLink() : host.read(path);
  }

  @Override
  public List<String> list(String path) throws IOException {
    return path.equals(DIRECTORY) ? List.of("ip-link.json") : host.list(path);
  }

  private static byte[] runIpLink() throws IOException {
    Process process = new ProcessBuilder(IP_LINK_COMMAND).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] output;
    try (InputStream in = process.getInputStream()) {
      output = in.readNBytes(ReadLimits.NETLINK_REPORT + 1);
    }
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("'ip -j link show' did not finish in " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while 'ip -j link show' ran", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException("'ip -j link show' failed with exit status " + process.exitValue()
          + " (is iproute2 installed?)");
    }
    if (output.length > ReadLimits.NETLINK_REPORT) {
      throw new IOException(ReadLimits.tooLarge(ReadLimits.NETLINK_REPORT));
    }
    return output;
  }
}
