package org.niovirt.libvirt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A made-up host for libvirt's test driver with SR-IOV PFs and VFs, a multi-port card sharing an
 * IOMMU group, a lone VT-d candidate and a management NIC (see the comment in sample-host.xml):
 * plan and launch every technology with no daemon and no hardware.
 *
 * <pre>{@code
 * try (LibvirtHost host = LibvirtHost.connect(SampleHost.write(dir))) {
 *   HostInventory inventory = NodeDeviceInventory.read(host, SampleHost.inventoryOptions());
 * }
 * }</pre>
 */
public final class SampleHost {
  static final String RESOURCE = "sample-host.xml";

  private SampleHost() {}

  /**
   * Copies the node file into {@code dir} (the test driver needs a real file) and returns its
   * {@code test:///...} URI.
   */
  public static String write(Path dir) {
    Path file = dir.toAbsolutePath().resolve(RESOURCE);
    try (InputStream in = SampleHost.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the nio-virt-libvirt jar");
      }
      Files.createDirectories(dir);
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new HostPreparationException("cannot write the sample host file " + file + ": " + e, e);
    }
    return "test://" + file;
  }

  /** The facts the node file cannot carry: eth0 is the management NIC, interrupt remapping is on. */
  public static NodeDeviceInventoryOptions inventoryOptions() {
    return NodeDeviceInventoryOptions.builder()
        .addManagementInterface("eth0")
        .interruptRemapping(org.niovirt.api.model.Tristate.YES)
        .iommuVendor(org.niovirt.api.model.IommuVendor.INTEL_VTD)
        .build();
  }
}
