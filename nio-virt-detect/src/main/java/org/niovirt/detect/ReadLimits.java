package org.niovirt.detect;

/**
 * The most bytes the detector reads from one file of a host tree. A sysfs attribute is at most a
 * page and an ACPI table a few KiB; the route tables and {@code /proc/interrupts} grow with the
 * host but stay far below their cap. Anything larger is damage (or an attack, e.g. a sparse
 * 3 GB file in a tree) and is reported as such instead of being loaded.
 */
final class ReadLimits {
  /** A page on any architecture Linux runs KVM on (64 KiB pages on some arm64 and ppc64 hosts). */
  static final int SYSFS_ATTRIBUTE = 64 << 10;
  static final int ACPI_TABLE = 1 << 20;
  /** /proc/net/route of a full Internet routing table is about 100 MB; hosts hold far less. */
  static final int PROC_FILE = 32 << 20;
  /** {@code ip -j link show}: about 300 bytes per VF and 1 KiB per netdev. */
  static final int NETLINK_REPORT = 16 << 20;

  private ReadLimits() {}

  static int maxBytes(String path) {
    if (path.startsWith(NetlinkLinkSource.DIRECTORY + "/")) {
      return NETLINK_REPORT;
    }
    if (path.startsWith("proc/")) {
      return PROC_FILE;
    }
    if (path.startsWith("sys/firmware/acpi/tables/")) {
      return ACPI_TABLE;
    }
    return SYSFS_ATTRIBUTE;
  }

  static String tooLarge(int limit) {
    return "larger than " + (limit >= 1 << 20 ? (limit >> 20) + " MiB" : (limit >> 10) + " KiB")
        + ", so not a real kernel file: not read";
  }
}
