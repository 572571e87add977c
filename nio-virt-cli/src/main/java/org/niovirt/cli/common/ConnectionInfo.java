package org.niovirt.cli.common;

/**
 * A libvirt connection URI and what it means for the user. libvirt's test driver looks like a real
 * host but changes nothing, so both the CLI and the dashboard say so whenever it is in use.
 */
public record ConnectionInfo(String uri) {
  public static final String DEFAULT_URI = "test:///default";

  /** {@code test:///default} or {@code test:///path/to/node.xml}: libvirt's in-process test driver. */
  public boolean testDriver() {
    return uri.startsWith("test:");
  }

  /**
   * The hypervisor runs on this machine ({@code test:///...}, {@code qemu:///system}): paths given
   * for the guest name files here and can be checked. A URI with a host names another machine.
   */
  public boolean local() {
    int scheme = uri.indexOf("://");
    return scheme > 0 && uri.startsWith("/", scheme + 3);
  }

  /** One sentence for people; empty for a real hypervisor connection. */
  public String note() {
    if (!testDriver()) {
      return "";
    }
    String file = uri.equals(DEFAULT_URI) ? "its built-in host" : "the host described in "
        + uri.substring("test://".length());
    return "Test driver: libvirt's in-process test driver simulates " + file
        + ". Nothing on this machine changes, and its guests live only as long as this process."
        + " Use --connect qemu:///system for real guests.";
  }
}
