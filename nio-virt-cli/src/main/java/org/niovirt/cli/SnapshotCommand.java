package org.niovirt.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.detect.HostSnapshot;
import org.niovirt.cli.common.InputErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code nio-virt snapshot}: the files the detector reads, as a tar.gz for bug reports and tests. */
@Command(name = "snapshot", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Capture the files the detector reads into a tar.gz.",
    description = "Capture exactly the sysfs/procfs/ACPI files the detector reads (with their "
        + "symlinks) into a tar.gz. 'nio-virt inventory --root FILE' reads it back with the "
        + "same result.")
final class SnapshotCommand implements Callable<Integer> {
  @ParentCommand
  NioVirtCli root;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
      description = "Where to write the snapshot, e.g. host.tar.gz.")
  Path output;

  @Option(names = "--root", paramLabel = "DIR|TAR.GZ", defaultValue = "/",
      description = "What to capture: this host (default: ${DEFAULT-VALUE}), a captured tree or a "
          + "snapshot.")
  Path source;

  @Override
  public Integer call() {
    Progress progress = root.progress(false);
    HostSnapshot snapshot;
    try {
      snapshot = progress.step("Capturing " + source,
          () -> HostSnapshot.capture(source, output));
    } catch (InvalidInputException e) {
      throw InputErrors.relabel(e, Map.of("root", "--root", "output", "--output"));
    }
    root.terminal().out().printf("Wrote %s: %d entries, %d cards, %d diagnostics.%n",
        snapshot.output(), snapshot.entryCount(), snapshot.inventory().cards().size(),
        snapshot.inventory().diagnostics().size());
    root.terminal().out().printf("Read it back with: nio-virt inventory --root %s%n", snapshot.output());
    return ExitCode.OK;
  }
}
