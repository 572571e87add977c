package org.niovirt.cli.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.libvirt.DiskFormat;

/** The format of a boot image, so users need not say it. */
final class DiskImages {
  /** Every qcow2 image starts with "QFI\xfb". */
  private static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};

  private DiskImages() {}

  /** qcow2 when the header says so; raw otherwise (QEMU's raw has no header to check). */
  static DiskFormat formatOf(Path image) {
    if (!Files.isRegularFile(image)) {
      throw new InvalidInputException("--disk", image, "no such file (or give --disk-format when"
          + " the image exists only on the libvirt host)");
    }
    byte[] header = new byte[QCOW2_MAGIC.length];
    try (InputStream in = Files.newInputStream(image)) {
      int read = in.readNBytes(header, 0, header.length);
      return read == header.length && Arrays.equals(header, QCOW2_MAGIC) ? DiskFormat.QCOW2 : DiskFormat.RAW;
    } catch (IOException e) {
      throw new InvalidInputException("--disk", image, "cannot be read (" + e.getMessage()
          + "); give --disk-format to skip reading it");
    }
  }

  static DiskFormat parseFormat(String text, String field) {
    for (DiskFormat format : DiskFormat.values()) {
      if (format.driverType().equalsIgnoreCase(text.trim())) {
        return format;
      }
    }
    throw new InvalidInputException(field, text, "expected qcow2 or raw");
  }
}
