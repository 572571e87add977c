package org.niovirt.libvirt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.niovirt.libvirt.LinkControl;

/**
 * A minimal sysfs tree under a temporary root, shaped like the real one (the capture
 * d1-vtd-sriov-dual: an Intel 82576 whose VFs sit at PF + 0x80 + 2n), for host preparation tests.
 * Writing {@code sriov_numvfs} here changes a file and nothing else: there is no kernel.
 */
public final class SysfsTree {
  public static final String PF = "0000:03:00.0";
  public static final String PF_NETDEV = "eth3";

  private SysfsTree() {}

  /** The 82576 of nodes/vf-creation.xml: 7 VFs possible, none created, link eth3 down. */
  public static Path igb82576(Path root) {
    try {
      Path device = Files.createDirectories(root.resolve("sys/devices/pci0000:00/0000:00:1c.0").resolve(PF));
      write(device.resolve("sriov_totalvfs"), "7");
      write(device.resolve("sriov_numvfs"), "0");
      write(device.resolve("sriov_offset"), "128");
      write(device.resolve("sriov_stride"), "2");
      write(device.resolve("vendor"), "0x8086");
      write(device.resolve("device"), "0x10c9");
      Path net = Files.createDirectories(device.resolve("net").resolve(PF_NETDEV));
      write(net.resolve("flags"), "0x1002");
      write(net.resolve("operstate"), "down");
      Files.createSymbolicLink(net.resolve("device"), Path.of("../.."));
      Path bus = Files.createDirectories(root.resolve("sys/bus/pci/devices"));
      Files.createSymbolicLink(bus.resolve(PF), Path.of("../../../devices/pci0000:00/0000:00:1c.0", PF));
      Path classNet = Files.createDirectories(root.resolve("sys/class/net"));
      Files.createSymbolicLink(classNet.resolve(PF_NETDEV),
          Path.of("../../devices/pci0000:00/0000:00:1c.0", PF, "net", PF_NETDEV));
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int numVfs(Path root) {
    return Integer.parseInt(read(root.resolve("sys/bus/pci/devices").resolve(PF).resolve("sriov_numvfs")));
  }

  public static boolean linkUp(Path root, String netdev) {
    return (Integer.decode(read(root.resolve("sys/class/net").resolve(netdev).resolve("flags"))) & 1) != 0;
  }

  /**
   * Stands in for {@code ip link set}: flips IFF_UP in the tree's {@code flags} file, as the kernel
   * would show it after the real command.
   */
  public static LinkControl linkControl(Path root) {
    return (netdev, up) -> {
      Path flags = root.resolve("sys/class/net").resolve(netdev).resolve("flags");
      int value = Integer.decode(read(flags));
      write(flags, String.format("0x%x", up ? value | 1 : value & ~1));
      write(flags.resolveSibling("operstate"), up ? "up" : "down");
    };
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
