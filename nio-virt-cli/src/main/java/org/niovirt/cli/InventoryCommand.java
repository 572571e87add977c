package org.niovirt.cli;

import java.util.concurrent.Callable;
import org.niovirt.api.model.HostInventory;
import org.niovirt.detect.InventoryJson;
import org.niovirt.detect.InventoryTable;
import org.niovirt.libvirt.LibvirtHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code nio-virt inventory}: what the host has, read-only. */
@Command(name = "inventory", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Show the host's NICs, SR-IOV VFs, IOMMU and groups.",
    description = "Show the host's network cards and ports, SR-IOV PFs with their VFs, the IOMMU "
        + "and its groups, and the management NIC. Reads /sys and /proc (or --root); changes "
        + "nothing.")
final class InventoryCommand implements Callable<Integer> {
  @ParentCommand
  NioVirtCli root;

  @Mixin
  HardwareOptions hardware;

  /** Only used with --node-devices or --sample-host. */
  @Mixin
  ConnectOptions connect;

  @Mixin
  FormatOption output;

  @Mixin
  FleetOptions fleet;

  @Override
  public Integer call() {
    Progress progress = root.progress(output.json());
    if (fleet.file != null) {
      fleet.requireAlone(connect, hardware, null);
      return fleet.inventory(progress, output.json(), root.terminal().out());
    }
    fleet.requireNoHost();
    HostInventory inventory;
    if (hardware.fromLibvirt(connect)) {
      try (LibvirtHost host = connect.connect(progress)) {
        inventory = hardware.detect(progress, host, connect);
      }
    } else {
      inventory = hardware.detect(progress, null, connect);
    }
    root.terminal().out().print(output.json()
        ? InventoryJson.toJsonText(inventory) + System.lineSeparator()
        : InventoryTable.render(inventory));
    return ExitCode.OK;
  }
}
