package org.niovirt.libvirt;

import java.nio.file.Path;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.HostInventory;
import org.niovirt.libvirt.testing.SysfsTree;
import org.niovirt.libvirt.testing.TestHosts;

/**
 * Run as its own JVM by {@link LaunchReconcileTest}: launches a guest pinned to SR-IOV on the
 * vf-creation host and halts the JVM (no finally blocks, no shutdown hooks: as {@code kill -9})
 * when the launch reaches {@code args[3]}.
 *
 * <p>Arguments: node file URI, host root, work folder, phase to die at, guest name.
 */
public final class KilledLauncherMain {
  static final int KILLED_EXIT_STATUS = 137;

  private KilledLauncherMain() {}

  public static void main(String[] args) {
    String uri = args[0];
    Path root = Path.of(args[1]);
    Path dir = Path.of(args[2]);
    LaunchPhase dieAt = LaunchPhase.valueOf(args[3]);
    String guest = args[4];
    LibvirtHostOptions options = TestHosts.options(dir).hostRoot(root)
        .linkControl(SysfsTree.linkControl(root))
        .launchListener((name, phase) -> {
          if (phase == dieAt) {
            System.out.println("killed at " + phase);
            System.out.flush();
            Runtime.getRuntime().halt(KILLED_EXIT_STATUS);
          }
        })
        .build();
    try (LibvirtHost host = LibvirtHost.connect(uri, options)) {
      HostInventory inventory = NodeDeviceInventory.read(host,
          TestHosts.inventoryOptions().hostRoot(root).build());
      host.launch(TestHosts.guest(guest), NetworkIoPlanner.create(), inventory, TestHosts.sriovRequest(guest));
    }
    System.out.println("not killed");
    System.exit(1);
  }
}
