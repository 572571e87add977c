package org.niovirt.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.SetNumVfs;
import org.niovirt.libvirt.HostChange;
import org.niovirt.libvirt.HostPreparer;
import org.niovirt.libvirt.testing.LoopbackSshd;
import org.niovirt.libvirt.testing.SysfsTree;

/**
 * Host preparation on a host reached over SSH writes that host's sysfs over SFTP: on the loopback
 * sshd, a copied 82576 sysfs tree (SysfsTree) under /tmp is read and written through the remote
 * root, exactly as HostPreparer does on a local root (sriov_numvfs goes 0 -> 2, then back).
 */
class RemoteHostPreparationTest {
  @BeforeAll
  static void sshd() {
    LoopbackSshd.requireOrSkip();
  }

  @Test
  void sriovNumvfsIsRaisedAndRevertedThroughTheRemoteRoot() throws Exception {
    Path local = Files.createTempDirectory(Path.of("/tmp"), "nio-virt-remote-sysfs",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path tree = SysfsTree.igb82576(local.resolve("root"));
    PciAddress pf = PciAddress.parse(SysfsTree.PF);
    try (RemoteHostAccess access = RemoteHostAccess.open(SshDestination.fromLibvirtUri(LoopbackSshd.URI).orElseThrow())) {
      Path remoteTree = access.root().resolve(tree.toString().substring(1));
      HostPreparer preparer = new HostPreparer(remoteTree, (netdev, up) -> { });

      assertThat(preparer.numVfs(pf)).isZero();
      List<HostChange> changes = preparer.changesFor(List.of(SetNumVfs.of(pf, 0, 2)));
      preparer.apply(changes.get(0), DeviceUsage.empty());
      assertThat(SysfsTree.numVfs(tree)).as("written over SFTP, read here").isEqualTo(2);
      assertThat(preparer.numVfs(pf)).isEqualTo(2);

      preparer.revert(changes.get(0), DeviceUsage.empty());
      assertThat(SysfsTree.numVfs(tree)).isZero();
    } finally {
      try (var walk = Files.walk(local)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
