package org.niovirt.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.niovirt.api.error.NioVirtException;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.libvirt.xml.DomainXml;
import org.niovirt.libvirt.xml.RecordedNic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VF hygiene when nio-virt releases a domain: each SR-IOV VF it recorded, once no domain holds it
 * any more (a running domain undefined stays as a transient one and keeps its VF), gets its
 * administrative MAC and VLAN cleared through its PF, so the next guest on that VF does not carry
 * the last one's MAC. Never for a VF another domain holds. Not on libvirt's test driver without a
 * host root: its devices are not this host's.
 */
final class VfRelease {
  private static final Logger LOG = LoggerFactory.getLogger(VfRelease.class);

  private VfRelease() {}

  /** The SR-IOV NICs nio-virt recorded in a domain (PF, VF index and the VF's address). */
  static List<RecordedNic> recordedVfs(DomainXml domain) {
    return domain.recordedPlan().map(plan -> plan.nics().stream().filter(RecordedNic::recordsVf)
        .toList()).orElse(List.of());
  }

  /** Whether releases touch this host: not libvirt's test driver without a host root. */
  static boolean applies(LibvirtHost host, LibvirtHostOptions options) {
    return !host.isTestDriver() || options.hostRoot().isPresent();
  }

  /**
   * After {@code guest} was undefined: clears each of its VFs that nobody holds now, and when the
   * guest ended uncleanly ({@code unclean}: destroyed, so the VF may hold a half-done state), resets
   * the VF's function if the kernel lists {@code flr} in its {@code reset_method}.
   */
  static void release(LibvirtHost host, LibvirtHostOptions options, String guest, List<RecordedNic> vfs,
      boolean unclean) {
    if (vfs.isEmpty() || !applies(host, options)) {
      return;
    }
    DeviceUsage usage = host.deviceUsage();
    Path root = options.hostRoot().orElse(Path.of("/"));
    for (RecordedNic vf : vfs) {
      if (usage.inUse(vf.devices().get(0))) {
        LOG.info("VF {} of {} stays as it is: {} holds it", vf.vfIndex().getAsInt(),
            vf.physicalFunction().get(), usage.holder(vf.devices().get(0)).orElse("?"));
        continue;
      }
      try {
        String netdev = pfNetdev(root, vf.physicalFunction().get().toString());
        options.linkControl().clearVf(netdev, vf.vfIndex().getAsInt());
        LOG.info("Released {}'s VF {} of {} ({}): MAC and VLAN cleared", guest, vf.vfIndex().getAsInt(),
            vf.physicalFunction().get(), netdev);
        if (unclean) {
          functionLevelReset(root, vf.devices().get(0).toString());
        }
      } catch (NioVirtException | IOException e) {
        // The domain is gone either way; the next launch's MAC checks still see a leftover MAC.
        LOG.warn("Could not clear VF {} of {} after {}: {}", vf.vfIndex().getAsInt(),
            vf.physicalFunction().get(), guest, e.getMessage());
      }
    }
  }

  /** Writes 1 to the VF's {@code reset} when {@code reset_method} offers a function-level reset. */
  private static void functionLevelReset(Path root, String vf) throws IOException {
    Path device = root.resolve("sys/bus/pci/devices").resolve(vf);
    Path methods = device.resolve("reset_method");
    if (!Files.isRegularFile(methods)
        || !List.of(Files.readString(methods).trim().split("\\s+")).contains("flr")) {
      LOG.info("VF {} offers no function-level reset; left as it is", vf);
      return;
    }
    Files.writeString(device.resolve("reset"), "1", java.nio.file.StandardOpenOption.WRITE);
    LOG.info("VF {}: function-level reset after its last guest ended uncleanly", vf);
  }

  /** The PF's netdev, from {@code sys/bus/pci/devices/PF/net/} (names checked before use). */
  private static String pfNetdev(Path root, String pf) throws IOException {
    Path net = root.resolve("sys/bus/pci/devices").resolve(pf).resolve("net");
    try (Stream<Path> names = Files.list(net)) {
      String name = names.map(p -> p.getFileName().toString()).sorted().findFirst()
          .orElseThrow(() -> new IOException(net + " lists no netdev"));
      IpLinkControl.requireNetdevName(name);
      return name;
    }
  }
}
