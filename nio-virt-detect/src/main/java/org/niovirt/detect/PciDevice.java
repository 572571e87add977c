package org.niovirt.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.niovirt.api.model.PciAddress;

/**
 * One PCI function's directory, read lazily and at most once: a device met as a network function,
 * as a VF of another function and as an IOMMU group member is still read once, whichever of the
 * scan's threads meets it first.
 */
final class PciDevice {
  private static final Pattern VIRTFN = Pattern.compile("virtfn(\\d+)");
  private static final Pattern VIRTIO = Pattern.compile("virtio\\d+");

  final PciAddress address;
  final AttributeReader files;
  /** Its problems; a device is read by one thread at a time, the list is safe for more. */
  final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());

  private OptionalInt classCode;
  private Optional<String> driver;
  private boolean driverReadable = true;
  private List<String> entries;
  private Boolean virtualFunction;
  private List<NetdevLocation> netdevs;

  /** A netdev and the resolved directory holding its attributes. */
  static final class NetdevLocation {
    final String name;
    final String directory;

    NetdevLocation(String name, String directory) {
      this.name = name;
      this.directory = directory;
    }
  }

  /** A {@code virtfnN} link of a physical function. */
  static final class VirtfnLink {
    final int index;
    final String name;

    VirtfnLink(int index, String name) {
      this.index = index;
      this.name = name;
    }
  }

  PciDevice(PciAddress address, RootedTree tree, String directory) {
    this.address = address;
    this.files = new AttributeReader(tree, directory, problems::add);
  }

  synchronized OptionalInt classCode() {
    if (classCode == null) {
      classCode = files.hex("class", true);
    }
    return classCode;
  }

  /** The bound driver; empty when unbound (or unreadable: see {@link #driverReadable()}). */
  synchronized Optional<String> driver() {
    if (driver == null) {
      int before = problems.size();
      driver = files.linkName("driver");
      driverReadable = problems.size() == before;
    }
    return driver;
  }

  synchronized boolean driverReadable() {
    driver();
    return driverReadable;
  }

  /**
   * The names in the device directory: virtfnN, physfn and virtioN are found by listing. Every
   * name used from a listing must also be visited, since a snapshot keeps only visited entries.
   */
  synchronized List<String> entries() {
    if (entries == null) {
      entries = files.list("");
    }
    return entries;
  }

  /** Has a {@code physfn} link: one look at that entry, not a listing of the whole directory. */
  synchronized boolean isVirtualFunction() {
    if (virtualFunction == null) {
      virtualFunction = files.linkExists("physfn");
    }
    return virtualFunction;
  }

  synchronized List<VirtfnLink> virtfnLinks() {
    List<VirtfnLink> links = new ArrayList<>();
    for (String entry : entries()) {
      Matcher m = VIRTFN.matcher(entry);
      if (m.matches()) {
        try {
          links.add(new VirtfnLink(Integer.parseInt(m.group(1)), entry));
        } catch (NumberFormatException e) {
          problems.add(entry + ": index out of range");
        }
      }
    }
    links.sort((a, b) -> Integer.compare(a.index, b.index));
    return links;
  }

  /** Netdevs under {@code net/}, and under {@code virtioN/net/} for a virtio function. */
  synchronized List<NetdevLocation> netdevs() {
    if (netdevs == null) {
      netdevs = new ArrayList<>();
      if (isVirtualFunction()) {
        // A VF has no virtioN child: look at net/ alone instead of listing the directory.
        if (files.exists("net")) {
          addNetdevsUnder("net");
        }
        return netdevs;
      }
      for (String entry : entries()) {
        if (entry.equals("net")) {
          addNetdevsUnder("net");
        } else if (VIRTIO.matcher(entry).matches()) {
          addNetdevsUnder(entry + "/net");
        }
      }
    }
    return netdevs;
  }

  private void addNetdevsUnder(String netDirectory) {
    for (String name : files.list(netDirectory)) {
      files.resolve(netDirectory + "/" + name)
          .ifPresent(directory -> netdevs.add(new NetdevLocation(name, directory)));
    }
  }
}
