package org.niovirt.libvirt;

/** Run as its own JVM by {@link LibvirtErrorCallbackTest}: provokes libvirt errors and handles them. */
public final class QuietErrorsMain {
  private QuietErrorsMain() {}

  public static void main(String[] args) {
    try (LibvirtHost host = LibvirtHost.connect(LibvirtHost.DEFAULT_URI)) {
      try {
        host.state("no-such-domain");
      } catch (LibvirtOperationException e) {
        System.out.println("handled: " + e.errorCode());
      }
      try {
        LibvirtHost.call("define a broken domain", () -> host.connection().domainDefineXML("<domain"));
      } catch (LibvirtOperationException e) {
        System.out.println("handled: " + e.errorCode());
      }
    }
  }
}
