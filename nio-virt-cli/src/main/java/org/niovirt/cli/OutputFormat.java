package org.niovirt.cli;

/** {@code --format}: tables for people, JSON for programs. */
enum OutputFormat {
  TABLE, JSON;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
