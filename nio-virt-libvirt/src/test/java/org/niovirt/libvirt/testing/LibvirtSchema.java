package org.niovirt.libvirt.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.niovirt.libvirt.LibvirtHost;

/**
 * Validates domain XML against libvirt's own RNG schema twice: with the validate flag of
 * {@code virDomainCreateXML} on the in-process test driver (needs only libvirt0), and with
 * {@code virt-xml-validate} (libvirt-clients) when it is installed.
 */
public final class LibvirtSchema {
  /** VIR_DOMAIN_START_VALIDATE. */
  private static final int START_VALIDATE = 16;
  public static final Path VIRT_XML_VALIDATE = Path.of("/usr/bin/virt-xml-validate");

  private LibvirtSchema() {}

  /** Throws AssertionError with libvirt's complaint when {@code xml} is not a valid domain. */
  public static void assertValidDomain(String xml) {
    try (LibvirtHost host = LibvirtHost.connect("test:///default")) {
      Connect connect = host.connection();
      Domain domain;
      try {
        domain = connect.domainCreateXML(xml, START_VALIDATE);
      } catch (LibvirtException e) {
        throw new AssertionError("libvirt's schema rejects the XML: " + e.getError().getMessage() + "\n" + xml);
      }
      try {
        domain.destroy();
      } catch (LibvirtException e) {
        throw new AssertionError("cannot destroy the validation domain", e);
      }
    }
    if (Files.isExecutable(VIRT_XML_VALIDATE)) {
      assertValidWithVirtXmlValidate(xml);
    }
  }

  public static void assertValidWithVirtXmlValidate(String xml) {
    try {
      Path file = Files.createTempFile("nio-virt-domain", ".xml");
      try {
        Files.writeString(file, xml, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(List.of(VIRT_XML_VALIDATE.toString(), file.toString(), "domain"))
            .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("virt-xml-validate did not finish in 60 s");
        }
        if (process.exitValue() != 0) {
          throw new AssertionError("virt-xml-validate rejects the XML: " + output + "\n" + xml);
        }
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run virt-xml-validate", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
