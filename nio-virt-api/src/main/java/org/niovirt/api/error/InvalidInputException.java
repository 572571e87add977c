package org.niovirt.api.error;

import java.util.Objects;

/**
 * Bad input from a user or a caller: names the field and the offending value, and says what is
 * accepted, so the message alone is enough to fix the request.
 */
public final class InvalidInputException extends NioVirtException {
  private final String field;
  private final String value;

  public InvalidInputException(String field, Object value, String expectation) {
    super(field + ": invalid value '" + value + "': " + expectation);
    this.field = Objects.requireNonNull(field, "field");
    this.value = String.valueOf(value);
  }

  /** The field's path in the request, e.g. {@code nics[0].vlan}. */
  public String field() {
    return field;
  }

  /** The rejected value as the user gave it. */
  public String value() {
    return value;
  }
}
