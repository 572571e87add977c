package org.niovirt.detect;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The parts of the ACPI DMAR (Intel VT-d) and IVRS (AMD-Vi) tables the detector needs. */
final class AcpiTable {
  /** Every ACPI table starts with a 36-byte header; DMAR's flags byte follows the width byte. */
  static final int HEADER_LENGTH = 36;
  static final int DMAR_FLAGS_OFFSET = 37;
  static final int DMAR_INTR_REMAP = 0x1;

  final String signature;
  final byte[] bytes;
  final List<String> problems = new ArrayList<>();

  private AcpiTable(String signature, byte[] bytes) {
    this.signature = signature;
    this.bytes = bytes;
  }

  /** Checks signature, length and checksum; a table that fails them is reported, not trusted. */
  static AcpiTable parse(String expectedSignature, byte[] bytes) {
    AcpiTable table = new AcpiTable(expectedSignature, bytes);
    if (bytes.length < HEADER_LENGTH) {
      table.problems.add(expectedSignature + ": " + bytes.length
          + " bytes, shorter than the 36-byte ACPI header");
      return table;
    }
    String signature = new String(bytes, 0, 4, StandardCharsets.US_ASCII);
    if (!signature.equals(expectedSignature)) {
      table.problems.add(expectedSignature + ": signature is '" + signature + "'");
    }
    long declaredLength =
        Integer.toUnsignedLong(ByteBuffer.wrap(bytes, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
    if (declaredLength != bytes.length) {
      table.problems.add(expectedSignature + ": header says " + declaredLength + " bytes, file has "
          + bytes.length);
    }
    int sum = 0;
    for (byte b : bytes) {
      sum += b & 0xff;
    }
    if ((sum & 0xff) != 0) {
      table.problems.add(expectedSignature + ": checksum mismatch (byte sum "
          + String.format("0x%02x", sum & 0xff) + ")");
    }
    return table;
  }

  boolean trusted() {
    return problems.isEmpty();
  }

  /** DMAR flags bit 0 (INTR_REMAP): the platform supports interrupt remapping. */
  Optional<Boolean> dmarInterruptRemapping() {
    if (!trusted() || bytes.length <= DMAR_FLAGS_OFFSET) {
      return Optional.empty();
    }
    return Optional.of((bytes[DMAR_FLAGS_OFFSET] & DMAR_INTR_REMAP) != 0);
  }
}
