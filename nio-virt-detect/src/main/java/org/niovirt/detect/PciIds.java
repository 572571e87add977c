package org.niovirt.detect;

import java.io.BufferedReader;
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
 */
public final class PciIds {
  /** Where distributions install the file: Debian/Ubuntu, then Fedora/RHEL (hwdata). */
  public static final List<Path> SYSTEM_LOCATIONS =
      List.of(Path.of("/usr/share/misc/pci.ids"), Path.of("/usr/share/hwdata/pci.ids"));

  private static final Logger LOG = LoggerFactory.getLogger(PciIds.class);
  private static final PciIds NONE = new PciIds(Map.of(), Map.of(), "none");

  private final Map<Integer, String> vendors;
  private final Map<Integer, String> devices;
  private final String origin;

  private PciIds(Map<Integer, String> vendors, Map<Integer, String> devices, String origin) {
    this.vendors = vendors;
    this.devices = devices;
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

  /** Parses a pci.ids file; an unreadable one gives no names (logged). */
  public static PciIds load(Path file) {
    Map<Integer, String> vendors = new HashMap<>();
    Map<Integer, String> devices = new HashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int vendor = -1;
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty() || line.charAt(0) == '#') {
          continue;
        }
        if (line.startsWith("C ")) {
          break; // the device-class list that ends the file
        }
        if (line.charAt(0) != '\t') {
          vendor = hexId(line, 0);
          if (vendor >= 0) {
            vendors.put(vendor, name(line, 0));
          }
        } else if (vendor >= 0 && line.length() > 1 && line.charAt(1) != '\t') {
          int device = hexId(line, 1);
          if (device >= 0) {
            devices.put(vendor << 16 | device, name(line, 1));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read {} ({}): devices are shown by id only", file, e.toString());
      return NONE;
    }
    return new PciIds(Map.copyOf(vendors), Map.copyOf(devices), file.toString());
  }

  /** Four hex digits at {@code start}, then white space; -1 for anything else. */
  private static int hexId(String line, int start) {
    if (line.length() < start + 5 || !Character.isWhitespace(line.charAt(start + 4))) {
      return -1;
    }
    try {
      return Integer.parseInt(line.substring(start, start + 4), 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String name(String line, int start) {
    return line.substring(start + 4).strip();
  }

  public Optional<String> vendor(int vendorId) {
    return Optional.ofNullable(vendors.get(vendorId));
  }

  public Optional<String> device(int vendorId, int deviceId) {
    return Optional.ofNullable(devices.get(vendorId << 16 | deviceId));
  }

  /** The file the names came from, or {@code none}. */
  public String origin() {
    return origin;
  }
}
