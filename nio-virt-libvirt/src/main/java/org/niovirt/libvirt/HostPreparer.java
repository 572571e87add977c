package org.niovirt.libvirt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.HostAction;
import org.niovirt.api.plan.LinkUp;
import org.niovirt.api.plan.SetNumVfs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies and reverts the host side of a plan through sysfs under {@code hostRoot} (the folder
 * holding {@code sys/}: {@code /} on a real host, a copied capture in tests): VFs through
 * {@code sriov_numvfs}, PF links through a {@link LinkControl}. Every method reads the current
 * state first, so applying or reverting twice is harmless.
 */
public final class HostPreparer {
  private static final Logger LOG = LoggerFactory.getLogger(HostPreparer.class);
  private final Path hostRoot;
  private final LinkControl linkControl;
  private final SysfsWriter sysfs;

  /** Writes one sysfs attribute; tests substitute one that enforces the kernel's rules. */
  @FunctionalInterface
  interface SysfsWriter {
    void write(Path file, String value) throws IOException;
  }

  public HostPreparer(Path hostRoot, LinkControl linkControl) {
    this(hostRoot, linkControl, (file, value) -> Files.writeString(file, value,
        StandardCharsets.US_ASCII, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
  }

  HostPreparer(Path hostRoot, LinkControl linkControl, SysfsWriter sysfs) {
    this.hostRoot = hostRoot;
    this.linkControl = linkControl;
    this.sysfs = sysfs;
  }

  public Path hostRoot() {
    return hostRoot;
  }

  /**
   * The changes {@code actions} will make, with today's state as "before". Fails when the host no
   * longer matches the inventory the plan was made from.
   */
  public List<HostChange> changesFor(List<HostAction> actions) {
    List<HostChange> changes = new ArrayList<>();
    for (HostAction action : actions) {
      if (action instanceof SetNumVfs set) {
        int current = numVfs(set.physicalFunction());
        if (current != set.from() && current != set.to()) {
          throw new HostPreparationException("sriov_numvfs of " + set.physicalFunction() + " is "
              + current + " but the plan expected " + set.from()
              + ": the inventory is out of date", "detect the host again and plan again", null);
        }
        changes.add(NumVfsChange.of(set.physicalFunction(), current, set.to()));
      } else if (action instanceof LinkUp link) {
        String netdev = link.netdev();
        IpLinkControl.requireNetdevName(netdev);
        changes.add(LinkChange.of(netdev, isUp(netdev)));
      }
    }
    return changes;
  }

  /** Makes {@code change} true on the host; {@code usage} says which VFs domains hold. */
  public void apply(HostChange change, DeviceUsage usage) {
    if (change instanceof NumVfsChange vfs) {
      PciAddress pf = vfs.physicalFunction();
      int current = numVfs(pf);
      if (current == vfs.after()) {
        return;
      }
      int total = readInt(deviceFile(pf, "sriov_totalvfs"));
      if (vfs.after() > total) {
        throw new HostPreparationException("cannot set sriov_numvfs of " + pf + " to " + vfs.after()
            + ": the device supports " + total + " VFs (sriov_totalvfs)");
      }
      setNumVfs(pf, current, vfs.after(), usage);
    } else if (change instanceof LinkChange link) {
      if (!isUp(link.netdev())) {
        linkControl.setLinkUp(link.netdev(), true);
      }
    }
  }

  /**
   * Puts the state before {@code change} back, unless a domain now uses what it made: a VF in use
   * is never removed and a PF link whose VFs are in use stays up. Returns what happened.
   */
  public String revert(HostChange change, DeviceUsage usage) {
    if (change instanceof NumVfsChange vfs) {
      PciAddress pf = vfs.physicalFunction();
      int current = numVfs(pf);
      if (current == vfs.before()) {
        return "sriov_numvfs of " + pf + " already " + current;
      }
      List<String> holders = holdersOfVfs(pf, usage);
      if (!holders.isEmpty()) {
        return "kept sriov_numvfs of " + pf + " at " + current + ": its VFs are in use (" + holders + ")";
      }
      setNumVfs(pf, current, vfs.before(), usage);
      return "set sriov_numvfs of " + pf + " back from " + current + " to " + vfs.before();
    }
    if (!(change instanceof LinkChange link)) {
      throw new IllegalStateException("unknown host change " + change); // HostChange is sealed
    }
    if (link.wasUp() || !isUp(link.netdev())) {
      return "link " + link.netdev() + " left as it is";
    }
    Optional<PciAddress> pf = deviceOfNetdev(link.netdev());
    List<String> holders = pf.map(f -> holdersOfVfs(f, usage)).orElse(List.of());
    if (!holders.isEmpty()) {
      return "kept link " + link.netdev() + " up: VFs of its PF are in use (" + holders + ")";
    }
    linkControl.setLinkUp(link.netdev(), false);
    return "brought link " + link.netdev() + " down again";
  }

  /** Through 0 when both counts are non-zero: the kernel refuses to change a non-zero count. */
  private void setNumVfs(PciAddress pf, int current, int target, DeviceUsage usage) {
    if (current != 0) {
      List<String> holders = holdersOfVfs(pf, usage);
      if (!holders.isEmpty()) {
        throw new HostPreparationException("cannot change sriov_numvfs of " + pf + " from " + current
            + " to " + target + ": that removes VFs in use (" + holders + ")");
      }
      write(deviceFile(pf, "sriov_numvfs"), 0);
    }
    if (target != 0) {
      write(deviceFile(pf, "sriov_numvfs"), target);
    }
    LOG.info("sriov_numvfs of {}: {} -> {}", pf, current, target);
  }

  public int numVfs(PciAddress pf) {
    return readInt(deviceFile(pf, "sriov_numvfs"));
  }

  /** The VFs that exist now: {@code virtfnN} links, and PF + offset + n * stride for n < numvfs. */
  public List<PciAddress> virtualFunctions(PciAddress pf) {
    TreeSet<PciAddress> vfs = new TreeSet<>();
    Path device = deviceDirectory(pf);
    try (DirectoryStream<Path> links = Files.newDirectoryStream(device, "virtfn*")) {
      for (Path link : links) {
        vfs.add(PciAddress.parse(link.toRealPath().getFileName().toString(), link.toString()));
      }
    } catch (NoSuchFileException e) {
      throw new HostPreparationException("no PCI device " + pf + " under " + device.getParent());
    } catch (IOException e) {
      throw new HostPreparationException("cannot list the VFs of " + pf + " in " + device, e);
    }
    Path offset = deviceFile(pf, "sriov_offset");
    Path stride = deviceFile(pf, "sriov_stride");
    if (Files.exists(offset) && Files.exists(stride)) {
      int first = readInt(offset);
      int step = readInt(stride);
      int count = numVfs(pf);
      for (int n = 0; n < count; n++) {
        vfs.add(pf.plusRoutingId(first + n * step));
      }
    }
    return List.copyOf(vfs);
  }

  private List<String> holdersOfVfs(PciAddress pf, DeviceUsage usage) {
    return virtualFunctions(pf).stream()
        .filter(usage::inUse)
        .map(vf -> vf + " held by " + usage.holder(vf).get())
        .collect(Collectors.toList());
  }

  /** Administratively up: bit IFF_UP of {@code flags}; {@code operstate} when flags is missing. */
  public boolean isUp(String netdev) {
    Path dir = hostRoot.resolve("sys/class/net").resolve(netdev);
    Path flags = dir.resolve("flags");
    if (Files.exists(flags)) {
      return (readInt(flags) & 1) != 0;
    }
    Path operstate = dir.resolve("operstate");
    if (Files.exists(operstate)) {
      return "up".equals(readText(operstate));
    }
    throw new HostPreparationException("no network interface " + netdev + " under "
        + dir.getParent() + " (no flags or operstate file)");
  }

  private Optional<PciAddress> deviceOfNetdev(String netdev) {
    Path device = hostRoot.resolve("sys/class/net").resolve(netdev).resolve("device");
    try {
      return Optional.of(PciAddress.parse(device.toRealPath().getFileName().toString(), device.toString()));
    } catch (IOException | RuntimeException e) {
      LOG.debug("{} has no PCI device link: {}", netdev, e.toString());
      return Optional.empty();
    }
  }

  private Path deviceDirectory(PciAddress pf) {
    return hostRoot.resolve("sys/bus/pci/devices").resolve(pf.toString());
  }

  private Path deviceFile(PciAddress pf, String name) {
    return deviceDirectory(pf).resolve(name);
  }

  private static int readInt(Path file) {
    String text = readText(file);
    try {
      // sysfs prints counts in decimal and flags as 0x-prefixed hex.
      return text.startsWith("0x") ? Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new HostPreparationException(file + " holds '" + text + "', not a number");
    }
  }

  private static String readText(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new HostPreparationException("cannot read " + file + ": " + e, e);
    }
  }

  private void write(Path file, int value) {
    try {
      sysfs.write(file, Integer.toString(value));
    } catch (IOException e) {
      throw new HostPreparationException("cannot write " + value + " to " + file + ": " + e, e);
    }
  }
}
