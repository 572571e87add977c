package org.niovirt.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.VfCondition;
import org.niovirt.api.plan.VfSurvey;
import org.niovirt.libvirt.BootCheck;
import org.niovirt.libvirt.BootPersistence;
import org.niovirt.libvirt.BootState;
import org.niovirt.libvirt.BootUnit;
import org.niovirt.libvirt.GuestSummary;
import org.niovirt.libvirt.HostPreparer;
import org.niovirt.libvirt.IpLinkControl;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.RepairOutcome;
import org.niovirt.remote.SshDestination;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code nio-virt host}: what the host must keep across reboots for nio-virt's guests. */
@Command(name = "host", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Keep the host ready for its guests across reboots (SR-IOV VFs).",
    description = "A reboot resets every PF's sriov_numvfs to 0 and libvirt cannot re-create VFs, "
        + "so SR-IOV guests would not start. 'persist' writes a systemd unit that re-creates the "
        + "VFs the defined domains use, and raises their PFs' links, before libvirt starts.",
    subcommands = {HostCommand.Persist.class, HostCommand.Unpersist.class, HostCommand.Check.class,
        HostCommand.Repair.class})
final class HostCommand implements Runnable {
  @ParentCommand
  NioVirtCli root;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(root.terminal().out());
  }

  /** Where the boot unit is: systemd's unit directory unless a test or a packager says otherwise. */
  static final class UnitFile {
    @Option(names = "--unit-file", paramLabel = "PATH",
        description = "The boot unit's file. Default: " + BootUnit.DEFAULT_PATH
            + " (enabled there when systemd runs; elsewhere only written or removed).")
    Path path = Path.of(BootUnit.DEFAULT_PATH);
  }

  /** A subcommand that looks at libvirt's defined domains and the host's hardware together. */
  abstract static class OnHost implements Callable<Integer> {
    @ParentCommand
    HostCommand host;

    @Mixin
    ConnectOptions connect;

    @Mixin
    HardwareOptions hardware;

    /** The work, with the connection open and the hardware read; returns the exit code. */
    abstract int run(LibvirtHost libvirt, HostInventory inventory, PrintStream out);

    /** Whether stdout carries only the result (progress then stays quiet). */
    boolean quiet() {
      return false;
    }

    @Override
    public Integer call() {
      Progress progress = host.root.progress(quiet());
      try (LibvirtHost libvirt = connect.connectToChange(progress)) {
        return run(libvirt, hardware.detect(progress, libvirt, connect), host.root.terminal().out());
      }
    }
  }

  @Command(name = "persist", mixinStandardHelpOptions = true, sortOptions = false,
      header = "Write (or print) the boot unit that re-creates the guests' VFs before libvirtd.")
  static final class Persist extends OnHost {
    @Option(names = "--dry-run", description = "Print the unit; write and enable nothing.")
    boolean dryRun;

    @Mixin
    UnitFile unit;

    @Override
    boolean quiet() {
      return dryRun;
    }

    @Override
    int run(LibvirtHost libvirt, HostInventory inventory, PrintStream out) {
      if (!dryRun && SshDestination.isSsh(connect.uri())) {
        throw new InvalidInputException("--connect", connect.uri(), "host persist writes this machine's"
            + " systemd unit; run it on that host (or use --dry-run to see the unit)");
      }
      BootState state = BootPersistence.desired(libvirt, inventory);
      if (dryRun) {
        out.print(BootUnit.render(state));
      } else {
        new BootPersistence(unit.path).persist(state).forEach(line -> out.println("  " + line));
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
      header = "Say which defined guests cannot start on the host as it is now, and the fix.")
  static final class Check extends OnHost {
    @Override
    int run(LibvirtHost libvirt, HostInventory inventory, PrintStream out) {
      List<GuestSummary> guests = libvirt.list();
      List<BootCheck.Finding> findings = BootCheck.check(guests, inventory);
      // VFs that need a look though no guest depends on them: orphaned, foreign, lost.
      for (VfSurvey.Entry vf : VfSurvey.survey(inventory, LibvirtHost.usageOf(guests))) {
        if (!(vf.condition() instanceof VfCondition.Free) && !(vf.condition() instanceof VfCondition.Held)) {
          out.println("VF " + vf.index() + " of " + vf.physicalFunction()
              + vf.address().map(a -> " (" + a + ")").orElse("") + ": " + vf.condition().describe());
        }
      }
      if (findings.isEmpty()) {
        out.println("Every defined guest's host devices are in place on " + connect.uri() + ".");
        return ExitCode.OK;
      }
      for (BootCheck.Finding finding : findings) {
        out.println(finding.guest() + " (" + finding.state().displayName() + "): cannot start: "
            + finding.problem());
        out.println("  fix: " + finding.fix());
      }
      return ExitCode.GUESTS_CANNOT_START;
    }
  }

  @Command(name = "repair", mixinStandardHelpOptions = true, sortOptions = false,
      header = "Fix what 'host check' finds, where no running guest is affected.")
  static final class Repair extends OnHost {
    @Option(names = "--host-root", paramLabel = "DIR",
        description = "The folder holding the sys/ tree to repair. Default: / on a real host; required"
            + " with libvirt's test driver, whose devices are not this host's.")
    Path hostRoot;

    @Override
    int run(LibvirtHost libvirt, HostInventory inventory, PrintStream out) {
      if (hostRoot == null && libvirt.isTestDriver()) {
        throw new InvalidInputException("--host-root", "(none)", "libvirt's test driver simulates its"
            + " devices: give --host-root with a copied sysfs tree, or --connect qemu:///system");
      }
      RepairOutcome outcome = libvirt.repair(inventory, hostRoot == null ? libvirt.preparer()
          : new HostPreparer(hostRoot, new IpLinkControl()));
      outcome.done().forEach(line -> out.println("  done: " + line));
      outcome.refused().forEach(line -> out.println("  refused: " + line));
      if (outcome.done().isEmpty() && outcome.refused().isEmpty()) {
        out.println("Nothing to repair: every defined guest's host devices are in place.");
      }
      return outcome.refused().isEmpty() ? ExitCode.OK : ExitCode.GUESTS_CANNOT_START;
    }
  }

  @Command(name = "unpersist", mixinStandardHelpOptions = true, sortOptions = false,
      header = "Disable and remove the boot unit.")
  static final class Unpersist implements Callable<Integer> {
    @ParentCommand
    HostCommand host;

    @Mixin
    UnitFile unit;

    @Override
    public Integer call() {
      PrintStream out = host.root.terminal().out();
      new BootPersistence(unit.path).unpersist().forEach(line -> out.println("  " + line));
      return ExitCode.OK;
    }
  }
}
