package org.niovirt.cli;

import picocli.CommandLine.Option;

/** {@code --format table|json}: tables for people, JSON (on stdout alone) for programs. */
final class FormatOption {
  @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
      description = "Output format. Default: ${DEFAULT-VALUE}.")
  OutputFormat format;

  boolean json() {
    return format == OutputFormat.JSON;
  }
}
