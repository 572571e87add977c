package org.niovirt.cli;

import java.io.PrintStream;
import org.niovirt.api.text.Printable;
import org.niovirt.cli.common.FailureKind;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line saying what went wrong and one line saying what to do, plus
 * the exit code of its kind. Stack traces only with {@code --verbose}: users need the reason, not
 * our call stack.
 */
final class ErrorReporter {
  private final NioVirtCli root;

  ErrorReporter(NioVirtCli root) {
    this.root = root;
  }

  /** Bad command line: unknown option, missing or unconvertible value. */
  int usageError(ParameterException e, String[] args) {
    report(e, e.getMessage(), helpHint(e.getCommandLine()) + " Nothing was changed.");
    return ExitCode.USAGE;
  }

  /** A failure while a command ran. */
  int executionError(Exception e, CommandLine command, ParseResult parseResult) {
    FailureKind kind = FailureKind.of(e);
    String hint = kind == FailureKind.INVALID_INPUT
        ? helpHint(command) + " Nothing was changed." : kind.hint(e);
    report(e, kind.message(e), hint);
    return kind.exitCode();
  }

  private static String helpHint(CommandLine command) {
    return "'" + command.getCommandSpec().qualifiedName()
        + " --help' lists the options and their accepted values.";
  }

  private void report(Throwable e, String message, String hint) {
    PrintStream err = root.terminal().err();
    // Messages may quote the host tree or the user: never let them drive the terminal.
    err.println("nio-virt: error: " + Printable.escape(message.replaceAll("\\s*\\R\\s*", " ").trim()));
    err.println("hint: " + Printable.escape(hint));
    if (root.verbose()) {
      e.printStackTrace(err);
    }
  }
}
