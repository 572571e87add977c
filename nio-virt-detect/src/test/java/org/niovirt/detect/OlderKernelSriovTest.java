package org.niovirt.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.VirtualFunction;

/**
 * Kernels before {@code sriov_offset}/{@code sriov_stride} existed in sysfs (3.10 enterprise
 * kernels) report only the counts. The SR-IOV capability and its VFs must stay: the layout comes
 * from the existing VFs or the config space's SR-IOV capability, else it is unknown and no VF is
 * created. Built from the real d1 (two VFs) and d4 (SR-IOV idle) captures with the files removed.
 */
class OlderKernelSriovTest extends ScratchTrees {
  private static final String PF = SyntheticTreesTest.PF;

  private TreeEditor withoutLayoutFiles(String capture) {
    TreeEditor tree = new TreeEditor(Captures.unpack(capture, temp.resolve(capture)));
    return tree.delete(PF + "/sriov_offset").delete(PF + "/sriov_stride");
  }

  private static SriovCapability sriov(TreeEditor tree) {
    HostInventory inventory = HostDetector.forRoot(tree.root).withoutPciIds().detect();
    NetworkFunction pf = inventory.function(PciAddress.parse("0000:01:00.0")).orElseThrow();
    return pf.sriov().orElseThrow(() -> new AssertionError("SR-IOV dropped: " + pf.diagnostics()));
  }

  @Test
  void theCountsAndEnabledVfsStayAndTheLayoutComesFromTheVfs() {
    SriovCapability sriov = sriov(withoutLayoutFiles(Captures.D1));

    assertThat(sriov.totalVfs()).isEqualTo(7);
    assertThat(sriov.numVfs()).isEqualTo(2);
    assertThat(sriov.vfs()).extracting(VirtualFunction::address).extracting(Object::toString)
        .containsExactly("0000:01:10.0", "0000:01:10.2");
    assertThat(sriov.layoutKnown()).isTrue();
    assertThat(sriov.offset()).isEqualTo(128);
    assertThat(sriov.stride()).isEqualTo(2);
  }

  @Test
  void withoutVfsTheLayoutComesFromTheConfigSpace() {
    TreeEditor d4 = withoutLayoutFiles(Captures.D4).writeBytes(PF + "/config", configWithSriov(128, 2));

    SriovCapability sriov = sriov(d4);

    assertThat(sriov.layoutKnown()).isTrue();
    assertThat(sriov.offset()).isEqualTo(128);
    assertThat(sriov.stride()).isEqualTo(2);
    assertThat(sriov.creatableVfAddresses()).hasSize(7).first().hasToString("0000:01:10.0");
  }

  @Test
  void withNeitherTheCapabilityStaysAndNoVfCanBeCreated() {
    TreeEditor d4 = withoutLayoutFiles(Captures.D4).writeBytes(PF + "/config", new byte[64]);
    HostInventory inventory = HostDetector.forRoot(d4.root).withoutPciIds().detect();
    NetworkFunction pf = inventory.function(PciAddress.parse("0000:01:00.0")).orElseThrow();

    SriovCapability sriov = pf.sriov().orElseThrow();
    assertThat(sriov.totalVfs()).isEqualTo(7);
    assertThat(sriov.layoutKnown()).isFalse();
    assertThat(sriov.creatableVfAddresses()).isEmpty();
    assertThat(SyntheticTreesTest.diagnosticsOf(inventory, "0000:01:00.0"))
        .anyMatch(m -> m.contains("where new VFs would appear is unknown"));
    assertThat(InventoryTable.render(inventory)).contains("offset and stride unknown");
  }

  @Test
  void theConfigSpaceChainIsWalkedAndADamagedOneEnds() {
    byte[] chained = configWithSriov(64, 1);
    ByteBuffer space = ByteBuffer.wrap(chained).order(ByteOrder.LITTLE_ENDIAN);
    // AER first at 0x100, pointing to the SR-IOV capability moved to 0x140.
    System.arraycopy(chained, 0x100, chained, 0x140, 0x40);
    space.putInt(0x100, 0x0001 | 1 << 16 | 0x140 << 20);
    assertThat(PciConfigSpace.sriovOffsetAndStride(chained)).hasValueSatisfying(
        layout -> assertThat(layout).containsExactly(64, 1));

    byte[] loop = new byte[4096];
    ByteBuffer.wrap(loop).order(ByteOrder.LITTLE_ENDIAN).putInt(0x100, 0x0001 | 1 << 16 | 0x100 << 20);
    assertThat(PciConfigSpace.sriovOffsetAndStride(loop)).isEmpty();
    assertThat(PciConfigSpace.sriovOffsetAndStride(new byte[64])).isEmpty();
  }

  /** A 4 KiB PCIe config space whose only extended capability is SR-IOV at 0x100. */
  private static byte[] configWithSriov(int offset, int stride) {
    ByteBuffer space = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    space.putShort(0, (short) 0x8086).putShort(2, (short) 0x10c9);
    space.putInt(0x100, 0x0010 | 1 << 16); // SR-IOV, version 1, no next
    space.putShort(0x100 + 0x0e, (short) 7).putShort(0x100 + 0x14, (short) offset)
        .putShort(0x100 + 0x16, (short) stride);
    return space.array();
  }
}
