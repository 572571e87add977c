package org.niovirt.detect;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Reads what the detector needs from a function's PCI configuration space (sysfs {@code config}):
 * the SR-IOV extended capability's First VF Offset and VF Stride, for kernels that do not show
 * them as {@code sriov_offset}/{@code sriov_stride}. Extended capabilities start at 0x100 (PCIe
 * base specification 7.6): a 32-bit header of id (16 bits), version (4) and next offset (12).
 * Unprivileged readers see only the first 64 bytes, which hold no extended capability.
 */
final class PciConfigSpace {
  private static final int EXTENDED_START = 0x100;
  private static final int SRIOV_CAPABILITY = 0x0010;
  private static final int FIRST_VF_OFFSET = 0x14;
  private static final int VF_STRIDE = 0x16;
  /** More hops than 4 KiB of capabilities can hold: a loop in a damaged chain ends here. */
  private static final int MAX_CAPABILITIES = (4096 - EXTENDED_START) / 4;

  private PciConfigSpace() {}

  /** {offset, stride} from the SR-IOV capability, or empty when config does not show one. */
  static Optional<int[]> sriovOffsetAndStride(byte[] config) {
    ByteBuffer space = ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN);
    int position = EXTENDED_START;
    for (int hops = 0; hops < MAX_CAPABILITIES && position >= EXTENDED_START
        && position + VF_STRIDE + 2 <= config.length; hops++) {
      int header = space.getInt(position);
      if (header == 0 || header == -1) {
        return Optional.empty();
      }
      if ((header & 0xffff) == SRIOV_CAPABILITY) {
        int offset = Short.toUnsignedInt(space.getShort(position + FIRST_VF_OFFSET));
        int stride = Short.toUnsignedInt(space.getShort(position + VF_STRIDE));
        return Optional.of(new int[] {offset, stride});
      }
      position = (header >>> 20) & 0xffc;
    }
    return Optional.empty();
  }
}
