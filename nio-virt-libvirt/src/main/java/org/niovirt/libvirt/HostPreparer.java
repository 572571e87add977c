package org.niovirt.libvirt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.niovirt.detect.HostFiles;
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
  private static final String PCI_DEVICES = "sys/bus/pci/devices";
  private static final String CLASS_NET = "sys/class/net";
  private final Path hostRoot;
  private final HostFiles files;
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
    this.files = HostFiles.under(hostRoot);
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

  /** Clears VF {@code vfIndex}'s administrative MAC and VLAN through its PF's netdev. */
  public void clearVf(String pfNetdev, int vfIndex) {
    IpLinkControl.requireNetdevName(pfNetdev);
    linkControl.clearVf(pfNetdev, vfIndex);
  }

  public int numVfs(PciAddress pf) {
    return readInt(deviceFile(pf, "sriov_numvfs"));
  }

  /** The VFs that exist now: {@code virtfnN} links, and {@code PF + offset + n * stride} for {@code n < numvfs}. */
  public List<PciAddress> virtualFunctions(PciAddress pf) {
    TreeSet<PciAddress> vfs = new TreeSet<>();
    String device = deviceDirectory(pf);
    try {
      if (!files.exists(device)) {
        throw new HostPreparationException("no PCI device " + pf + " under " + hostRoot.resolve(PCI_DEVICES));
      }
      for (String entry : files.list(device)) {
        if (entry.startsWith("virtfn")) {
          String link = device + "/" + entry;
          vfs.add(PciAddress.parse(files.target(link), link));
        }
      }
      String offset = device + "/sriov_offset";
      String stride = device + "/sriov_stride";
      if (files.exists(offset) && files.exists(stride)) {
        int first = readInt(offset);
        int step = readInt(stride);
        int count = numVfs(pf);
        for (int n = 0; n < count; n++) {
          vfs.add(pf.plusRoutingId(first + n * step));
        }
      }
    } catch (IOException e) {
      throw new HostPreparationException("cannot list the VFs of " + pf + " in " + hostRoot.resolve(device), e);
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
    String dir = CLASS_NET + "/" + netdev;
    try {
      if (files.exists(dir + "/flags")) {
        return (readInt(dir + "/flags") & 1) != 0;
      }
      if (files.exists(dir + "/operstate")) {
        return "up".equals(readText(dir + "/operstate"));
      }
    } catch (IOException e) {
      throw new HostPreparationException("cannot read the state of " + netdev + ": " + e, e);
    }
    throw new HostPreparationException("no network interface " + netdev + " under "
        + hostRoot.resolve(CLASS_NET) + " (no flags or operstate file)");
  }

  private Optional<PciAddress> deviceOfNetdev(String netdev) {
    String device = CLASS_NET + "/" + netdev + "/device";
    try {
      return Optional.of(PciAddress.parse(files.target(device), device));
    } catch (IOException | RuntimeException e) {
      LOG.debug("{} has no PCI device link: {}", netdev, e.toString());
      return Optional.empty();
    }
  }

  private static String deviceDirectory(PciAddress pf) {
    return PCI_DEVICES + "/" + pf;
  }

  private static String deviceFile(PciAddress pf, String name) {
    return deviceDirectory(pf) + "/" + name;
  }

  private int readInt(String file) {
    String text = readText(file);
    try {
      // sysfs prints counts in decimal and flags as 0x-prefixed hex.
      return text.startsWith("0x") ? Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new HostPreparationException(hostRoot.resolve(file) + " holds '" + text + "', not a number");
    }
  }

  private String readText(String file) {
    try {
      return files.text(file).orElseThrow(() -> new HostPreparationException(
          "cannot read " + hostRoot.resolve(file) + ": no such file"));
    } catch (IOException e) {
      throw new HostPreparationException("cannot read " + hostRoot.resolve(file) + ": " + e, e);
    }
  }

  private void write(String file, int value) {
    try {
      sysfs.write(files.fileToWrite(file), Integer.toString(value));
    } catch (IOException e) {
      throw new HostPreparationException("cannot write " + value + " to " + hostRoot.resolve(file) + ": " + e, e);
    }
  }
}
