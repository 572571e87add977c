package org.niovirt.cli.common;

import java.util.Map;
import org.niovirt.api.error.InvalidInputException;

/** Speaks of bad input in the user's terms: the option they typed, not the SDK's field name. */
public final class InputErrors {
  private InputErrors() {}

  /**
   * The same error with the field replaced by its option, e.g. {@code nics[0].vlan} by
   * {@code --vlan}; the value and the rule stay. Unknown fields are returned unchanged.
   */
  public static InvalidInputException relabel(InvalidInputException e, Map<String, String> optionOfField) {
    String option = optionOfField.get(e.field());
    return option == null ? e : e.relabelled(option);
  }
}
