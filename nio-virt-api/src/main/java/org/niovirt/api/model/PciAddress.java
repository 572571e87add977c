package org.niovirt.api.model;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.immutables.value.Value;
import org.niovirt.api.error.InvalidInputException;

/**
 * A PCI function address, {@code domain:bus:slot.function}, printed as {@code 0000:02:00.1}. The
 * domain (segment) is an unsigned 32-bit number printed with at least four digits, as the kernel
 * does ({@code %04x}): Intel VMD and multi-segment hosts have domains such as {@code 10000}.
 */
// prehash: addresses are the keys of every usage and inventory map the planner probes per NIC.
@Value.Immutable(builder = false, prehash = true)
public abstract class PciAddress implements Comparable<PciAddress> {
  private static final Pattern FORMAT =
      Pattern.compile("(?:([0-9a-fA-F]{4,8}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");

  /** The PCI segment, an unsigned 32-bit number (read it with {@link Integer#toUnsignedLong}). */
  @Value.Parameter
  public abstract int domain();

  @Value.Parameter
  public abstract int bus();

  @Value.Parameter
  public abstract int slot();

  @Value.Parameter
  public abstract int function();

  public static PciAddress of(int domain, int bus, int slot, int function) {
    return ImmutablePciAddress.of(domain, bus, slot, function);
  }

  /** Parses {@code 0000:02:00.1} or {@code 02:00.1}; {@code field} names the input in errors. */
  public static PciAddress parse(String text, String field) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new InvalidInputException(
          field, text, "expected a PCI address such as 0000:02:00.0 (hex domain:bus:slot.function)");
    }
    int domain = m.group(1) == null ? 0 : Integer.parseUnsignedInt(m.group(1), 16);
    int slot = Integer.parseInt(m.group(3), 16);
    if (slot > 0x1f) {
      throw new InvalidInputException(field, text, "the slot must be 00 to 1f");
    }
    return of(domain, Integer.parseInt(m.group(2), 16), slot, Integer.parseInt(m.group(4)));
  }

  public static PciAddress parse(String text) {
    return parse(text, "pciAddress");
  }

  /**
   * The function at {@code routingIdDelta} routing IDs from this one: how SR-IOV places VF n at
   * PF + offset + n * stride (PCIe routing ID = {@code bus << 8 | slot << 3 | function}).
   */
  public PciAddress plusRoutingId(int routingIdDelta) {
    int rid = (bus() << 8 | slot() << 3 | function()) + routingIdDelta;
    if (rid < 0 || rid > 0xffff) {
      throw new IllegalArgumentException("routing id out of range: " + this + " + " + routingIdDelta);
    }
    return of(domain(), rid >> 8, (rid >> 3) & 0x1f, rid & 0x7);
  }

  /** The physical slot, {@code 0000:02:00}: functions sharing it are ports of one card. */
  public String slotId() {
    return appendSlot(new StringBuilder(10)).toString();
  }

  @Value.Check
  protected void check() {
    if (bus() < 0 || bus() > 0xff
        || slot() < 0 || slot() > 0x1f || function() < 0 || function() > 7) {
      throw new IllegalArgumentException(
          "PCI address out of range: " + domain() + ":" + bus() + ":" + slot() + "." + function());
    }
  }

  /**
   * Domain, bus, slot and function in one number that orders as they do (domain unsigned, then
   * bus, slot, function): planners rank candidates by address for every NIC of a batch.
   */
  @Value.Derived
  @Value.Auxiliary
  public long sortKey() {
    return Integer.toUnsignedLong(domain()) << 16 | (bus() & 0xffL) << 8 | (slot() & 0x1fL) << 3 | (function() & 0x7L);
  }

  @Override
  public int compareTo(PciAddress other) {
    return Long.compare(sortKey(), other.sortKey());
  }

  /** {@code 0000:02:00.1}; by hand rather than String.format, which dominated plan explanations. */
  @Override
  public String toString() {
    return appendSlot(new StringBuilder(12)).append('.').append(function()).toString();
  }

  /** {@code 0000:02:00}: the domain as {@code %04x} of the unsigned value, then bus and slot. */
  private StringBuilder appendSlot(StringBuilder out) {
    String digits = Integer.toHexString(domain());
    for (int i = digits.length(); i < 4; i++) {
      out.append('0');
    }
    out.append(digits).append(':');
    hex(out, bus(), 2).append(':');
    return hex(out, slot(), 2);
  }

  private static StringBuilder hex(StringBuilder out, int value, int digits) {
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      out.append(Character.forDigit((value >> shift) & 0xf, 16));
    }
    return out;
  }
}
