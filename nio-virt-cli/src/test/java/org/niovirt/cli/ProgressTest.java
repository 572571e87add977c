package org.niovirt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void plainLinesWithoutControlCharactersWhenNotATerminal() {
    int result = new Progress(err, false, false).step("Counting", () -> 42);

    assertThat(result).isEqualTo(42);
    assertThat(printed()).matches("Counting \\.\\.\\.\\RCounting: done in \\d+\\.\\d s\\R");
    assertThat(printed()).doesNotContain("\r", "\u001b");
  }

  @Test
  void aSpinnerOnOneLineOnATerminal() {
    new Progress(err, true, false).step("Waiting", () -> {
      try {
        Thread.sleep(400);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    assertThat(printed()).contains("\r\u001b[2K| Waiting", "\r\u001b[2Kok   Waiting (done in ");
  }

  @Test
  void aFailedStepSaysSoAndRethrows() {
    Progress progress = new Progress(err, false, false);

    assertThatThrownBy(() -> progress.step("Breaking", () -> {
      throw new IllegalStateException("boom");
    })).hasMessage("boom");
    assertThat(printed()).contains("Breaking: failed in");
  }

  @Test
  void detailsShowWithinAStepOnly() {
    Progress progress = new Progress(err, false, false);
    progress.detail("before");
    progress.step("Launching", () -> progress.detail("domain defined"));
    progress.detail("after");

    assertThat(printed()).contains("  domain defined").doesNotContain("before", "after");
  }

  @Test
  void quietPrintsNothing() {
    new Progress(err, true, true).step("Silent", () -> 1);
    new Progress(err, true, true).note("nothing");

    assertThat(printed()).isEmpty();
  }
}
