package org.niovirt.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.niovirt.api.text.Printable;

/**
 * Reports long steps on stderr, so that stdout stays clean for {@code --format json} and pipes. On
 * a terminal a spinner turns on one line until the step ends; elsewhere (CI logs, pipes) each step
 * is one plain line when it starts and one when it ends, with no control characters.
 */
public final class Progress {
  private static final String[] SPINNER = {"|", "/", "-", "\\"};

  private final PrintStream err;
  private final boolean terminal;
  private final boolean quiet;
  /** What the running step is doing now, shown after its name by the spinner. */
  private volatile String detail = "";
  /** Details outside a step (e.g. a dashboard's launches) have no context, so they are dropped. */
  private volatile boolean inStep;

  public Progress(PrintStream err, boolean terminal, boolean quiet) {
    this.err = err;
    this.terminal = terminal;
    this.quiet = quiet;
  }

  /** Runs {@code work} as one named step and reports how long it took. */
  public <T> T step(String stepDescription, Supplier<T> work) {
    if (quiet) {
      return work.get();
    }
    String description = Printable.escape(stepDescription); // may quote paths and names
    long start = System.nanoTime();
    ScheduledFuture<?> spinner = null;
    ScheduledExecutorService ticker = null;
    if (terminal) {
      ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "nio-virt-progress");
        thread.setDaemon(true);
        return thread;
      });
      int[] tick = {0};
      spinner = ticker.scheduleAtFixedRate(() -> {
        synchronized (err) {
          err.print("\r\u001b[2K" + SPINNER[tick[0]++ % SPINNER.length] + " " + description + " "
              + seconds(start) + (detail.isEmpty() ? "" : "  " + detail));
          err.flush();
        }
      }, 0, 120, TimeUnit.MILLISECONDS);
    } else {
      err.println(description + " ...");
    }
    boolean ok = false;
    inStep = true;
    try {
      T result = work.get();
      ok = true;
      return result;
    } finally {
      inStep = false;
      detail = "";
      if (spinner != null) {
        spinner.cancel(false);
        ticker.shutdownNow();
      }
      String outcome = (ok ? "done" : "failed") + " in " + seconds(start);
      synchronized (err) {
        if (terminal) {
          err.print("\r\u001b[2K");
          err.println((ok ? "ok  " : "FAIL") + " " + description + " (" + outcome + ")");
        } else {
          err.println(description + ": " + outcome);
        }
        err.flush();
      }
    }
  }

  /** A step without a result. */
  public void step(String description, Runnable work) {
    step(description, () -> {
      work.run();
      return null;
    });
  }

  /** Where the running step is now, e.g. {@code VFs created}: on the spinner, or a plain line. */
  public void detail(String text) {
    if (quiet || !inStep) {
      return;
    }
    if (terminal) {
      detail = text;
    } else {
      err.println("  " + text);
    }
  }

  /** A remark that is not a step, e.g. which libvirt driver is in use. */
  public void note(String line) {
    if (!quiet) {
      err.println(line);
    }
  }

  private static String seconds(long startNanos) {
    return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
  }
}
