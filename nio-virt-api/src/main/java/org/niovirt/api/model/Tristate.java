package org.niovirt.api.model;

/** A host fact that may not be knowable without privileges. */
public enum Tristate {
  YES, NO, UNKNOWN;

  public static Tristate of(boolean value) {
    return value ? YES : NO;
  }
}
