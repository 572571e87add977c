package org.niovirt.cli.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.libvirt.Error.ErrorNumber;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.error.NioVirtException;
import org.niovirt.api.error.PlanningException;
import org.niovirt.libvirt.HostPreparationException;
import org.niovirt.libvirt.LibvirtOperationException;

/**
 * The kinds of failure a user can meet, each with its exit code, HTTP status and a hint. The CLI
 * and the dashboard report the same failure the same way.
 */
public enum FailureKind {
  /** A bad value: nothing was changed. */
  INVALID_INPUT(2, 400),
  /** Valid, but no plan can serve it on this host: nothing was changed. */
  PLANNING_IMPOSSIBLE(3, 409),
  /** libvirt refused or failed, or the host could not be prepared. */
  LIBVIRT(4, 502),
  /** Anything else: I/O, a missing file, a bug. */
  RUNTIME(1, 500);

  private final int exitCode;
  private final int httpStatus;

  FailureKind(int exitCode, int httpStatus) {
    this.exitCode = exitCode;
    this.httpStatus = httpStatus;
  }

  public int exitCode() {
    return exitCode;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public static FailureKind of(Throwable e) {
    if (e instanceof InvalidInputException) {
      return INVALID_INPUT;
    }
    if (e instanceof PlanningException) {
      return PLANNING_IMPOSSIBLE;
    }
    if (e instanceof LibvirtOperationException || e instanceof HostPreparationException) {
      return LIBVIRT;
    }
    return RUNTIME;
  }

  /** One line: what went wrong, from the exception's own problem field (its hint is separate). */
  public String message(Throwable e) {
    if (e instanceof NioVirtException failure) {
      String problem = oneLine(failure.problem());
      return problem.endsWith(".") ? problem.substring(0, problem.length() - 1) : problem;
    }
    String text = oneLine(e.getMessage() == null ? e.toString() : e.getMessage());
    if (e instanceof NoSuchFileException) {
      return "no such file: " + text;
    }
    if (this == RUNTIME && !(e instanceof IOException) && !(e instanceof UncheckedIOException)) {
      return "unexpected error: " + oneLine(e.toString());
    }
    return text;
  }

  /** What the user can do next: the SDK's own hint when it gave one, else ours. */
  public String hint(Throwable e) {
    if (e instanceof NioVirtException failure && failure.hint().isPresent()) {
      return oneLine(failure.hint().get());
    }
    switch (this) {
      case INVALID_INPUT:
        return "the message names the field and the accepted values. Nothing was changed.";
      case PLANNING_IMPOSSIBLE:
        return "'nio-virt inventory' shows what this host has. Nothing was changed.";
      case LIBVIRT:
        return libvirtHint(e);
      default:
        if (e instanceof NoSuchFileException) {
          return "check the path; --root takes a directory or a snapshot .tar.gz.";
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
          return "check the path and its permissions.";
        }
        return "re-run with --verbose and report the stack trace.";
    }
  }

  private static String libvirtHint(Throwable e) {
    if (!(e instanceof LibvirtOperationException)) {
      return "the host was put back as it was; re-run with --verbose for details.";
    }
    LibvirtOperationException failure = (LibvirtOperationException) e;
    ErrorNumber number = failure.errorNumber().orElse(null);
    if (number == ErrorNumber.VIR_ERR_NO_DOMAIN) {
      return "'nio-virt list' shows the domains of this connection.";
    }
    if (number == ErrorNumber.VIR_ERR_NO_CONNECT || number == ErrorNumber.VIR_ERR_SYSTEM_ERROR
        || number == ErrorNumber.VIR_ERR_AUTH_FAILED) {
      return "is libvirtd running and may you use it? Try --connect test:///default to rehearse.";
    }
    if (number == ErrorNumber.VIR_ERR_OPERATION_INVALID) {
      return "the domain is not in a state that allows this; 'nio-virt list' shows its state.";
    }
    return "libvirt's own message above says why; re-run with --verbose for details.";
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
