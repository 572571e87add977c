package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.niovirt.libvirt.testing.TestHosts.guest;
import static org.niovirt.libvirt.testing.TestHosts.nodeFileUri;
import static org.niovirt.libvirt.testing.TestHosts.sriovRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.PciAddress;
import org.niovirt.libvirt.testing.SysfsTree;
import org.niovirt.libvirt.testing.TestHosts;

/**
 * A "reboot" of the 82576 host (vf-creation.xml with its sysfs tree): sriov_numvfs back to 0 and
 * the PF link down while the SR-IOV guest stays defined. Check finds the VF missing; repair
 * re-creates it and raises the link, then the guest starts again; a running guest is not touched.
 */
class BootRepairTest {
  private static final String URI = nodeFileUri("vf-creation.xml");
  private static final PciAddress PF = PciAddress.parse(SysfsTree.PF);
  @TempDir Path dir;
  private Path root;

  @BeforeEach
  void sysfs() {
    root = SysfsTree.igb82576(dir.resolve("root"));
  }

  private LibvirtHost connect() {
    return LibvirtHost.connect(URI, TestHosts.options(dir).hostRoot(root)
        .linkControl(SysfsTree.linkControl(root)).build());
  }

  private HostInventory inventory(LibvirtHost host) {
    return NodeDeviceInventory.read(host, TestHosts.inventoryOptions().hostRoot(root).build());
  }

  private HostPreparer preparer() {
    return new HostPreparer(root, SysfsTree.linkControl(root));
  }

  /** What a reboot does to the PF: no VFs, link down. */
  private void reboot() throws Exception {
    Path device = root.resolve("sys/bus/pci/devices").resolve(SysfsTree.PF);
    Files.writeString(device.resolve("sriov_numvfs"), "0");
    SysfsTree.linkControl(root).setLinkUp(SysfsTree.PF_NETDEV, false);
  }

  @Test
  void afterARebootTheVfIsMissingAndRepairBringsItAndTheLinkBack() throws Exception {
    try (LibvirtHost host = connect()) {
      host.launch(guest("survivor"), NetworkIoPlanner.create(), inventory(host), sriovRequest("survivor"));
      host.destroy("survivor"); // the reboot stops it; it stays defined
      reboot();

      List<BootCheck.Finding> findings = BootCheck.check(host.list(), inventory(host));
      assertThat(findings).singleElement().satisfies(finding -> {
        assertThat(finding.kind()).isEqualTo(BootCheck.Kind.VF_MISSING);
        assertThat(finding.physicalFunction()).contains(PF);
        assertThat(finding.vfIndex()).hasValue(0);
      });

      RepairOutcome outcome = host.repair(inventory(host), preparer());

      assertThat(outcome.refused()).isEmpty();
      assertThat(outcome.done()).contains("sriov_numvfs of " + PF + ": 0 -> 1", "link eth3 of " + PF + " up");
      assertThat(SysfsTree.numVfs(root)).isEqualTo(1);
      assertThat(SysfsTree.linkUp(root, SysfsTree.PF_NETDEV)).isTrue();
      host.connection().domainLookupByName("survivor").create();
      assertThat(host.state("survivor")).isEqualTo(DomainState.RUNNING);
    }
  }

  @Test
  void aPfWhoseVfsARunningGuestHoldsIsLeftAlone() throws Exception {
    try (LibvirtHost host = connect()) {
      host.launch(guest("first"), NetworkIoPlanner.create(), inventory(host), sriovRequest("first"));
      // Another guest, shut off, holds VF 1, which does not exist: raising sriov_numvfs from 1 to 2
      // would go through 0 and pull VF 0 from under the running guest.
      host.connection().domainDefineXML("<domain type='test'><name>second</name>"
          + "<memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices>"
          + "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000'"
          + " bus='0x03' slot='0x10' function='0x2'/></source></hostdev></devices></domain>");

      RepairOutcome outcome = host.repair(inventory(host), preparer());

      assertThat(outcome.refused()).singleElement().asString()
          .contains(PF.toString(), "first");
      assertThat(SysfsTree.numVfs(root)).as("re-creating VFs would pull first's from under it").isEqualTo(1);
    }
  }

  @Test
  void aShutOffGuestWhoseVfMovedIsPointedAtItsNewAddress() throws Exception {
    try (LibvirtHost host = LibvirtHost.connect(nodeFileUri("sixteen-vfs.xml"), TestHosts.options(dir).build())) {
      HostInventory inventory = NodeDeviceInventory.read(host, TestHosts.inventoryOptions().build());
      // nio-virt recorded VF 1 of 0000:01:00.0; the XML still names VF 0's address (0000:01:10.0).
      host.connection().domainDefineXML("<domain type='test'><name>shifted</name><metadata>"
          + "<niovirt:plan xmlns:niovirt='https://niovirt.org/xmlns/plan/1' guest='shifted'>"
          + "<niovirt:nic index='0' technology='sriov' pf='0000:01:00.0' vf-index='1'>"
          + "<niovirt:device>0000:01:10.0</niovirt:device><niovirt:reason>a VF</niovirt:reason>"
          + "</niovirt:nic></niovirt:plan></metadata><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
          + "<os><type>hvm</type></os><devices><interface type='hostdev' managed='yes'><source>"
          + "<address type='pci' domain='0x0000' bus='0x01' slot='0x10' function='0x0'/></source>"
          + "</interface></devices></domain>");

      RepairOutcome outcome = host.repair(inventory, preparer());

      assertThat(outcome.done()).containsExactly("shifted: now on 0000:01:10.2 (was 0000:01:10.0)");
      assertThat(host.domainXml("shifted").hostPciDevices()).containsExactly(PciAddress.parse("0000:01:10.2"));
      assertThat(host.domainXml("shifted").recordedPlan().orElseThrow().nics().get(0).devices())
          .containsExactly(PciAddress.parse("0000:01:10.2"));
      assertThat(BootCheck.check(host.list(), inventory)).isEmpty();
    }
  }
}
