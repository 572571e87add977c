package org.niovirt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.export.lint.Lint;
import org.niovirt.export.lint.LintReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code nio-virt lint FILE}: what an engine's device configuration matches on this host, and why not. */
@Command(name = "lint", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Check an engine's device configuration against the host.",
    description = "Read an SR-IOV device plugin config.json (or its ConfigMap) and say, for each"
        + " resource, which functions of this host (or --root, or --connect over SSH) it matches, why"
        + " every other network function does not (wrong driver, not a VF, PF renamed, ...), and which"
        + " matches are unsafe (management NIC, group not viable, no interrupt remapping). Exit 0"
        + " clean, 3 findings, 2 unreadable file.")
final class LintCommand implements Callable<Integer> {
  @ParentCommand
  NioVirtCli root;

  @Mixin
  HardwareOptions hardware;

  @Mixin
  ConnectOptions connect;

  @Parameters(paramLabel = "FILE", description = "The configuration to check.")
  Path file;

  @Override
  public Integer call() {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidInputException("FILE", file, "cannot be read: " + e.getMessage());
    }
    Progress progress = root.progress(false);
    HardwareOptions.HostFacts host = hardware.readWithUsage(progress, connect);
    LintReport report = Lint.lint(text, host.inventory(), host.usage());
    root.terminal().out().print(report.describe());
    return report.clean() ? ExitCode.OK : ExitCode.PLANNING_IMPOSSIBLE;
  }
}
