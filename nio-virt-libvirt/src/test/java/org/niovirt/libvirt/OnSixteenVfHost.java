package org.niovirt.libvirt;

import static org.niovirt.libvirt.testing.TestHosts.nodeFileUri;
import static org.niovirt.libvirt.testing.TestHosts.options;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.HostInventory;
import org.niovirt.libvirt.testing.TestHosts;

/**
 * Tests that launch on the test driver's sixteen-VF node file (nodes/sixteen-vfs.xml): a fresh
 * connection, lock file and state directory per test, so no test sees another's domains.
 */
abstract class OnSixteenVfHost {
  @TempDir Path dir;
  LibvirtHost host;
  HostInventory inventory;
  final NetworkIoPlanner planner = NetworkIoPlanner.create();

  @BeforeEach
  void connect() {
    host = LibvirtHost.connect(nodeFileUri("sixteen-vfs.xml"), options(dir).build());
    inventory = NodeDeviceInventory.read(host, TestHosts.inventoryOptions().build());
  }

  @AfterEach
  void close() {
    host.close();
  }
}
