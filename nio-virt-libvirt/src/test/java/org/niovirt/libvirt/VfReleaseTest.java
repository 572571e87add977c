package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.niovirt.libvirt.testing.TestHosts.guest;
import static org.niovirt.libvirt.testing.TestHosts.nodeFileUri;
import static org.niovirt.libvirt.testing.TestHosts.sriovRequest;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.libvirt.testing.SysfsTree;
import org.niovirt.libvirt.testing.TestHosts;

/**
 * Releasing a domain clears its VF's MAC and VLAN through the PF, unless another domain holds the
 * VF: on the 82576 test host with its sysfs tree, whose link control records the clears.
 */
class VfReleaseTest {
  @TempDir Path dir;
  private Path root;
  private final List<String> cleared = new CopyOnWriteArrayList<>();

  @BeforeEach
  void sysfs() {
    root = SysfsTree.igb82576(dir.resolve("root"));
  }

  private LibvirtHost connect() {
    LinkControl links = SysfsTree.linkControl(root);
    return LibvirtHost.connect(nodeFileUri("vf-creation.xml"), TestHosts.options(dir).hostRoot(root)
        .linkControl(new LinkControl() {
          @Override
          public void setLinkUp(String netdev, boolean up) {
            links.setLinkUp(netdev, up);
          }

          @Override
          public void clearVf(String pfNetdev, int vfIndex) {
            cleared.add(pfNetdev + " vf " + vfIndex);
          }
        }).build());
  }

  private void launchSriov(LibvirtHost host, String name) {
    host.launch(guest(name), NetworkIoPlanner.create(),
        NodeDeviceInventory.read(host, TestHosts.inventoryOptions().hostRoot(root).build()), sriovRequest(name));
  }

  @Test
  void aReleasedVfLosesItsMacAndVlan() {
    try (LibvirtHost host = connect()) {
      launchSriov(host, "leaving");
      host.destroy("leaving");
      host.undefine("leaving");

      assertThat(cleared).containsExactly("eth3 vf 0");
    }
  }

  @Test
  void aVfAnotherDomainHoldsIsLeftAlone() throws Exception {
    try (LibvirtHost host = connect()) {
      launchSriov(host, "leaving");
      host.connection().domainDefineXML("<domain type='test'><name>staying</name>"
          + "<memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices>"
          + "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000'"
          + " bus='0x03' slot='0x10' function='0x0'/></source></hostdev></devices></domain>");
      host.destroy("leaving");
      host.undefine("leaving");

      assertThat(cleared).as("staying still holds 0000:03:10.0").isEmpty();
    }
  }

  @Test
  void aRunningDomainUndefinedKeepsItsVf() {
    try (LibvirtHost host = connect()) {
      launchSriov(host, "transient");
      host.undefine("transient"); // it runs on, as a transient domain, with its VF

      assertThat(cleared).isEmpty();
    }
  }

  /** VF 0's directory with a function-level reset on offer; returns its reset file. */
  private Path vf0WithFlr() throws Exception {
    Path vf = java.nio.file.Files.createDirectories(root.resolve("sys/devices/pci0000:00/0000:00:1c.0/0000:03:10.0"));
    java.nio.file.Files.writeString(vf.resolve("reset_method"), "flr bus\n");
    java.nio.file.Files.writeString(vf.resolve("reset"), "0");
    java.nio.file.Files.createSymbolicLink(root.resolve("sys/bus/pci/devices/0000:03:10.0"),
        Path.of("../../../devices/pci0000:00/0000:00:1c.0/0000:03:10.0"));
    return vf.resolve("reset");
  }

  @Test
  void aVfWhoseGuestWasDestroyedGetsAFunctionLevelReset() throws Exception {
    Path reset = vf0WithFlr();
    try (LibvirtHost host = connect()) {
      launchSriov(host, "pulled");
      host.destroy("pulled");
      host.undefine("pulled");
    }
    assertThat(java.nio.file.Files.readString(reset)).isEqualTo("1");
  }

  @Test
  void aVfWhoseGuestShutDownCleanlyIsNotReset() throws Exception {
    Path reset = vf0WithFlr();
    try (LibvirtHost host = connect()) {
      launchSriov(host, "tidy");
      host.stop("tidy");
      host.undefine("tidy");
      assertThat(cleared).containsExactly("eth3 vf 0");
    }
    assertThat(java.nio.file.Files.readString(reset)).isEqualTo("0");
  }
}
