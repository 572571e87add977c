package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.LinkUp;
import org.niovirt.api.plan.SetNumVfs;
import org.niovirt.libvirt.testing.SysfsTree;

class HostPreparerTest {
  private static final PciAddress PF = PciAddress.parse(SysfsTree.PF);
  /** VF 1 of the 82576: PF routing id + offset 128 + 1 * stride 2. */
  private static final PciAddress VF1 = PciAddress.parse("0000:03:10.2");

  @TempDir Path root;
  private final List<String> writes = new ArrayList<>();
  private HostPreparer preparer;

  @BeforeEach
  void tree() {
    SysfsTree.igb82576(root);
    preparer = new HostPreparer(root, SysfsTree.linkControl(root), this::kernelWrite);
  }

  /** Writes like the kernel: a non-zero sriov_numvfs cannot change to another non-zero count. */
  private void kernelWrite(Path file, String value) throws IOException {
    if (file.getFileName().toString().equals("sriov_numvfs")) {
      int current = Integer.parseInt(Files.readString(file).trim());
      int total = Integer.parseInt(Files.readString(file.resolveSibling("sriov_totalvfs")).trim());
      int next = Integer.parseInt(value);
      if (current != 0 && next != 0) {
        throw new IOException("Device or resource busy");
      }
      if (next > total) {
        throw new IOException("Numerical result out of range");
      }
    }
    writes.add(file.getFileName() + "=" + value);
    Files.writeString(file, value);
  }

  @Test
  void createsVfsAndRevertsThem() {
    List<HostChange> changes = preparer.changesFor(List.of(SetNumVfs.of(PF, 0, 2)));

    preparer.apply(changes.get(0), DeviceUsage.empty());
    assertThat(SysfsTree.numVfs(root)).isEqualTo(2);
    assertThat(preparer.virtualFunctions(PF)).containsExactly(PciAddress.parse("0000:03:10.0"), VF1);

    assertThat(preparer.revert(changes.get(0), DeviceUsage.empty())).contains("back from 2 to 0");
    assertThat(SysfsTree.numVfs(root)).isZero();
    assertThat(writes).containsExactly("sriov_numvfs=2", "sriov_numvfs=0");
  }

  @Test
  void changingANonZeroCountGoesThroughZero() {
    preparer.apply(NumVfsChange.of(PF, 0, 2), DeviceUsage.empty());
    writes.clear();

    preparer.apply(preparer.changesFor(List.of(SetNumVfs.of(PF, 2, 4))).get(0), DeviceUsage.empty());

    assertThat(writes).containsExactly("sriov_numvfs=0", "sriov_numvfs=4");
    assertThat(SysfsTree.numVfs(root)).isEqualTo(4);
  }

  @Test
  void vfsAreRemovedBeforeThePfIsPassedThroughWholeAndComeBackOnRevert() {
    preparer.apply(NumVfsChange.of(PF, 0, 2), DeviceUsage.empty());
    HostChange removal = preparer.changesFor(List.of(SetNumVfs.of(PF, 2, 0))).get(0);
    writes.clear();

    preparer.apply(removal, DeviceUsage.empty());
    assertThat(SysfsTree.numVfs(root)).isZero();
    preparer.revert(removal, DeviceUsage.empty());

    assertThat(writes).containsExactly("sriov_numvfs=0", "sriov_numvfs=2");
    assertThat(SysfsTree.numVfs(root)).isEqualTo(2);
  }

  @Test
  void aCountIsNeverChangedWhileADomainHoldsOneOfItsVfs() {
    preparer.apply(NumVfsChange.of(PF, 0, 2), DeviceUsage.empty());
    DeviceUsage usage = DeviceUsage.of(Map.of(VF1, "web1"));

    assertThatThrownBy(() -> preparer.apply(NumVfsChange.of(PF, 2, 4), usage))
        .isInstanceOf(HostPreparationException.class)
        .hasMessageContaining("0000:03:10.2 held by web1");
    assertThat(preparer.revert(NumVfsChange.of(PF, 0, 2), usage)).contains("kept").contains("web1");
    assertThat(SysfsTree.numVfs(root)).isEqualTo(2);
  }

  @Test
  void moreVfsThanTheDeviceSupportsAreRefused() {
    assertThatThrownBy(() -> preparer.apply(NumVfsChange.of(PF, 0, 8), DeviceUsage.empty()))
        .isInstanceOf(HostPreparationException.class).hasMessageContaining("supports 7 VFs");
    assertThat(writes).isEmpty();
  }

  @Test
  void aHostThatNoLongerMatchesThePlanIsRefusedBeforeAnyChange() throws IOException {
    Files.writeString(root.resolve("sys/bus/pci/devices").resolve(SysfsTree.PF).resolve("sriov_numvfs"), "3");

    assertThatThrownBy(() -> preparer.changesFor(List.of(SetNumVfs.of(PF, 0, 2))))
        .isInstanceOf(HostPreparationException.class)
        .hasMessageContaining("is 3 but the plan expected 0").hasMessageContaining("plan again");
  }

  @Test
  void bringsAPfLinkUpAndDownAgainUnlessItsVfsAreInUse() {
    HostChange link = preparer.changesFor(List.of(LinkUp.of(SysfsTree.PF_NETDEV))).get(0);
    assertThat(link).isEqualTo(LinkChange.of("eth3", false));

    preparer.apply(link, DeviceUsage.empty());
    assertThat(SysfsTree.linkUp(root, "eth3")).isTrue();

    preparer.apply(NumVfsChange.of(PF, 0, 2), DeviceUsage.empty());
    assertThat(preparer.revert(link, DeviceUsage.of(Map.of(VF1, "web1")))).contains("kept link eth3 up");
    assertThat(SysfsTree.linkUp(root, "eth3")).isTrue();

    preparer.revert(link, DeviceUsage.empty());
    assertThat(SysfsTree.linkUp(root, "eth3")).isFalse();
  }

  @Test
  void ipLinkControlRefusesNamesThatAreNotInterfaceNamesWithoutRunningAnything() {
    IpLinkControl ip = new IpLinkControl("/nonexistent/ip");
    for (String bad : List.of("-n", "a b", "eth0;reboot", "sixteen-chars-xx", "")) {
      assertThatThrownBy(() -> ip.setLinkUp(bad, true))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("netdev");
    }
    assertThatThrownBy(() -> ip.setLinkUp("eth9", true))
        .isInstanceOf(HostPreparationException.class).hasMessageContaining("/nonexistent/ip");
  }

  @Test
  void ipLinkControlReportsWhatIpSays() {
    IpLinkControl ip = new IpLinkControl();

    assertThatThrownBy(() -> ip.setLinkUp("nvnoexist0", true))
        .isInstanceOf(HostPreparationException.class)
        .hasMessageContaining("exit status").hasMessageContaining("nvnoexist0");
  }

  @Test
  void clearingAVfAsksIpToResetItsMacAndVlanOnThePf() throws Exception {
    java.nio.file.Path calls = root.resolve("ip-calls");
    java.nio.file.Path fake = root.resolve("ip");
    java.nio.file.Files.writeString(fake, "#!/bin/sh\necho \"$*\" >> " + calls + "\n");
    assertThat(fake.toFile().setExecutable(true)).isTrue();

    new IpLinkControl(fake.toString()).clearVf("ens1f0", 3);

    assertThat(java.nio.file.Files.readAllLines(calls))
        .containsExactly("link set dev ens1f0 vf 3 mac 00:00:00:00:00:00 vlan 0");
    assertThatThrownBy(() -> new IpLinkControl(fake.toString()).clearVf("eth0;reboot", 0))
        .isInstanceOf(InvalidInputException.class);
  }
}
