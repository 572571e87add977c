package org.niovirt.cli;

import org.niovirt.cli.common.FailureKind;

/**
 * The launcher's exit codes. Scripts branch on them, so they are part of the interface: keep them
 * stable and keep {@code examples/CLI.md} and {@link #HELP_SECTION} in step (the numbers live in
 * {@link FailureKind}, which the dashboard shares).
 */
public final class ExitCode {
  /** Done. */
  public static final int OK = 0;
  /** Something failed at run time: an unreadable root, an I/O error, a bug. */
  public static final int RUNTIME_FAILURE = FailureKind.RUNTIME.exitCode();
  /** Bad command line or bad input value; nothing was changed. */
  public static final int USAGE = FailureKind.INVALID_INPUT.exitCode();
  /** The request is valid but no plan can serve it on this host; nothing was changed. */
  public static final int PLANNING_IMPOSSIBLE = FailureKind.PLANNING_IMPOSSIBLE.exitCode();
  /** libvirt refused or failed (connection, define, start, stop, unknown domain). */
  public static final int LIBVIRT_FAILURE = FailureKind.LIBVIRT.exitCode();
  /** {@code host check} found defined guests that cannot start as they are (each with its fix). */
  public static final int GUESTS_CANNOT_START = 5;

  /** The {@code Exit codes:} section of every {@code --help}. */
  static final String[] HELP_SECTION = {
    "",
    "Exit codes:",
    "  0  done",
    "  1  runtime failure (I/O, unreadable root, unexpected error)",
    "  2  usage error or invalid value; nothing was changed",
    "  3  no plan can serve the request on this host; nothing was changed",
    "  4  libvirt failure (connection, define, start, stop, unknown domain)",
    "  5  host check: some defined guests cannot start as the host is now",
  };

  private ExitCode() {}
}
