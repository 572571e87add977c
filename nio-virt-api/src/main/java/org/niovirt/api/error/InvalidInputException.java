package org.niovirt.api.error;

import java.util.Objects;

/**
 * Bad input from a user or a caller: names the field and the offending value, and says what is
 * accepted, so the message alone is enough to fix the request.
 */
public final class InvalidInputException extends NioVirtException {
  private final String field;
  private final String value;
  private final String expectation;

  public InvalidInputException(String field, Object value, String expectation) {
    super(field + ": invalid value '" + value + "': " + expectation);
    this.field = Objects.requireNonNull(field, "field");
    this.value = String.valueOf(value);
    this.expectation = expectation;
  }

  /**
   * The same error for a front end that knows the field by another name (an option such as
   * {@code --vlan} for {@code nics[0].vlan}); value and expectation stay, this one is the cause.
   */
  public InvalidInputException relabelled(String otherField) {
    InvalidInputException relabelled = new InvalidInputException(otherField, value, expectation);
    relabelled.initCause(this);
    return relabelled;
  }

  /** What is accepted, e.g. {@code must be 1 to 4094}. */
  public String expectation() {
    return expectation;
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
