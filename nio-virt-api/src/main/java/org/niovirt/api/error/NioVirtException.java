package org.niovirt.api.error;

import java.util.Optional;

/**
 * Root of every exception nio-virt throws on purpose. Carries what went wrong ({@link #problem()})
 * and, where there is one, what to do about it ({@link #hint()}) as separate fields, so front ends
 * build their own messages; {@link #getMessage()} joins them for logs and embedders.
 */
public class NioVirtException extends RuntimeException {
  private final String problem;
  private final String hint;

  public NioVirtException(String problem) {
    this(problem, null, null);
  }

  public NioVirtException(String problem, Throwable cause) {
    this(problem, null, cause);
  }

  /** {@code hint} may be null: not every problem has a next step to suggest. */
  public NioVirtException(String problem, String hint, Throwable cause) {
    super(hint == null ? problem : problem + ". Hint: " + hint);
    this.problem = problem;
    this.hint = hint;
    if (cause != null) {
      initCause(cause); // only then: a cause left unset may still be set later (relabelling)
    }
  }

  /** What went wrong, without the hint. */
  public String problem() {
    return problem;
  }

  /** What the user can do next, when the SDK knows. */
  public Optional<String> hint() {
    return Optional.ofNullable(hint);
  }
}
