package org.niovirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Options that name host files or addresses are checked before anything happens: the kind of a
 * wrong file is named, system files need --force, and the dashboard's bind address and token are
 * refused as bad input, not as a crash or a misleading port error.
 */
class HostFileOptionsCliTest {
  @TempDir Path temp;

  @ParameterizedTest
  @CsvSource({
      "--disk, /tmp, 'a directory, not an image file'",
      "--disk, /dev/zero, 'a character device, not an image file'",
      "--disk, /etc/hostname, 'lies under /etc'",
      "--kernel, /nonexistent/vmlinuz, 'no such file'",
      "--serial-log, /etc/nio-virt-test.log, 'lies under /etc'",
      "--serial-log, /dev/null, 'a character device'",
  })
  void aHostFileOfTheWrongKindOrPlaceIsRefusedBeforePlanning(String option, String path, String expected) {
    CliRun run = CliRun.of("launch", "--dry-run", option, path);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.errorLines().get(0)).startsWith("nio-virt: error: " + option + ": invalid value '" + path + "'")
        .contains(expected);
    assertThat(Path.of("/etc/nio-virt-test.log")).doesNotExist();
  }

  @Test
  void forceAcceptsASystemPathForTheConsoleLog() {
    CliRun run = CliRun.of("launch", "--dry-run", "--force", "--serial-log", "/etc/nio-virt-test.log");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(Path.of("/etc/nio-virt-test.log")).as("a dry run writes nothing").doesNotExist();
  }

  @ParameterizedTest
  @CsvSource({
      "--bind, 'not an address', 'an IP address of this machine'",
      "--bind, 192.0.2.77, 'not an address of this machine'",
  })
  void theDashboardRefusesABindAddressItCannotUse(String option, String value, String expected) {
    CliRun run = CliRun.of("dashboard", option, value, "--duration", "1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.errorLines().get(0)).startsWith("nio-virt: error: --bind: invalid value").contains(expected);
  }

  @Test
  void aBlankTokenIsBadInputAndATokenFileIsRead() throws Exception {
    CliRun blank = CliRun.of("dashboard", "--enable-actions", "--token", " ", "--duration", "1");
    Path file = Files.writeString(temp.resolve("token"), "\n");
    CliRun blankFile = CliRun.of("dashboard", "--enable-actions", "--token-file", file.toString(), "--duration", "1");
    Files.writeString(file, "from-a-file-0123456789\n");
    CliRun fromFile = CliRun.of("dashboard", "--enable-actions", "--port", "0", "--token-file", file.toString(),
        "--duration", "1");

    assertThat(blank.exitCode()).as(blank.toString()).isEqualTo(2);
    assertThat(blank.errorLines().get(0)).startsWith("nio-virt: error: --token: invalid value '(blank)'");
    assertThat(blankFile.exitCode()).isEqualTo(2);
    assertThat(blankFile.errorLines().get(0)).startsWith("nio-virt: error: --token-file: invalid value '(blank)'");
    assertThat(fromFile.exitCode()).as(fromFile.toString()).isZero();
    assertThat(fromFile.out()).contains("token: from-a-file-0123456789");
  }

  @Test
  void actionsOnAnAddressOtherMachinesReachAreWarnedAbout() {
    CliRun run = CliRun.of("dashboard", "--enable-actions", "--bind", "0.0.0.0", "--port", "0", "--duration", "1");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).contains("nio-virt: warning: actions are enabled on 0.0.0.0", "token travels in clear");
  }
}
