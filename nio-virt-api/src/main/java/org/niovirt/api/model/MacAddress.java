package org.niovirt.api.model;

import java.util.Locale;
import java.util.regex.Pattern;
import org.immutables.value.Value;
import org.niovirt.api.error.InvalidInputException;

/** An Ethernet MAC address, kept in canonical lower-case {@code 52:54:00:12:34:56} form. */
@Value.Immutable(builder = false)
public abstract class MacAddress {
  private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

  @Value.Parameter
  public abstract String value();

  /** Parses {@code 52:54:00:AB:cd:01}; {@code field} names the input in errors. */
  public static MacAddress parse(String text, String field) {
    String canonical = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('-', ':');
    if (!FORMAT.matcher(canonical).matches()) {
      throw new InvalidInputException(
          field, text, "expected a MAC address of six hex octets such as 52:54:00:12:34:56");
    }
    return ImmutableMacAddress.of(canonical);
  }

  public static MacAddress parse(String text) {
    return parse(text, "mac");
  }

  /** Multicast (group) addresses cannot be a NIC's own address. */
  public boolean isMulticast() {
    return (Integer.parseInt(value().substring(0, 2), 16) & 1) == 1;
  }

  @Value.Check
  protected void check() {
    if (!FORMAT.matcher(value()).matches()) {
      throw new IllegalArgumentException("not a canonical MAC address: " + value());
    }
  }

  @Override
  public String toString() {
    return value();
  }
}
