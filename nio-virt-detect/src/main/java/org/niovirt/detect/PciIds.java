package org.niovirt.detect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vendor and device names from the system's {@code pci.ids} (Debian package {@code pci.ids}).
 * Names only decorate the inventory: a missing or unreadable file gives no names, never an error.
 *
 * <p>The file is over a megabyte with some 40,000 lines while a host has a handful of network
 * devices, so it is kept as bytes with an index of where each vendor starts, and only the names
 * asked for are decoded: a command-line run does not pay for parsing every line.
 */
public final class PciIds {
  /** Where distributions install the file: Debian/Ubuntu, then Fedora/RHEL (hwdata). */
  public static final List<Path> SYSTEM_LOCATIONS =
      List.of(Path.of("/usr/share/misc/pci.ids"), Path.of("/usr/share/hwdata/pci.ids"));

  private static final Logger LOG = LoggerFactory.getLogger(PciIds.class);
  private static final PciIds NONE = new PciIds(new byte[0], Map.of(), "none");

  private final byte[] text;
  /** Vendor id → offset of the line after the vendor's own line (its first device line). */
  private final Map<Integer, Integer> vendorBlocks;
  private final String origin;

  private PciIds(byte[] text, Map<Integer, Integer> vendorBlocks, String origin) {
    this.text = text;
    this.vendorBlocks = vendorBlocks;
    this.origin = origin;
  }

  public static PciIds none() {
    return NONE;
  }

  /** The first of {@link #SYSTEM_LOCATIONS} that exists on this machine (not under a root). */
  public static PciIds system() {
    for (Path location : SYSTEM_LOCATIONS) {
      if (Files.isRegularFile(location)) {
        return load(location);
      }
    }
    LOG.debug("no pci.ids in {}: devices are shown by id only", SYSTEM_LOCATIONS);
    return NONE;
  }

  /** Reads a pci.ids file; an unreadable one gives no names (logged). */
  public static PciIds load(Path file) {
    byte[] text;
    try {
      text = Files.readAllBytes(file);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read {} ({}): devices are shown by id only", file, e.toString());
      return NONE;
    }
    Map<Integer, Integer> vendorBlocks = new HashMap<>();
    for (int line = 0; line < text.length; line = nextLine(text, line)) {
      if (text[line] == 'C' && line + 1 < text.length && text[line + 1] == ' ') {
        break; // the device-class list that ends the file
      }
      int vendor = hexId(text, line);
      if (vendor >= 0) {
        vendorBlocks.putIfAbsent(vendor, line);
      }
    }
    return new PciIds(text, Map.copyOf(vendorBlocks), file.toString());
  }

  private static int nextLine(byte[] text, int from) {
    int i = from;
    while (i < text.length && text[i] != '\n') {
      i++;
    }
    return i + 1;
  }

  /** Four hex digits at {@code start} followed by white space; -1 for anything else. */
  private static int hexId(byte[] text, int start) {
    if (start + 4 >= text.length || (text[start + 4] != ' ' && text[start + 4] != '\t')) {
      return -1;
    }
    int value = 0;
    for (int i = start; i < start + 4; i++) {
      int digit = Character.digit(text[i], 16);
      if (digit < 0) {
        return -1;
      }
      value = value << 4 | digit;
    }
    return value;
  }

  /** The name after the id on the line at {@code start}, where the id is {@code idEnd} bytes long. */
  private String name(int start, int idEnd) {
    int end = nextLine(text, start) - 1;
    return new String(text, start + idEnd, Math.max(0, end - start - idEnd), StandardCharsets.UTF_8)
        .strip();
  }

  public Optional<String> vendor(int vendorId) {
    Integer line = vendorBlocks.get(vendorId);
    return line == null ? Optional.empty() : Optional.of(name(line, 4));
  }

  public Optional<String> device(int vendorId, int deviceId) {
    Integer vendorLine = vendorBlocks.get(vendorId);
    if (vendorLine == null) {
      return Optional.empty();
    }
    // The vendor's block: its device lines (one tab) and subsystem lines (two tabs), up to the
    // next line that starts with neither a tab nor a comment.
    for (int line = nextLine(text, vendorLine); line < text.length; line = nextLine(text, line)) {
      byte first = text[line];
      if (first != '\t' && first != '#' && first != '\n') {
        break;
      }
      if (first == '\t' && line + 1 < text.length && text[line + 1] != '\t'
          && hexId(text, line + 1) == deviceId) {
        return Optional.of(name(line, 5));
      }
    }
    return Optional.empty();
  }

  /** The file the names came from, or {@code none}. */
  public String origin() {
    return origin;
  }
}
