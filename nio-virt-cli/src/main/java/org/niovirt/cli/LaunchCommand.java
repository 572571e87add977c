package org.niovirt.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.niovirt.detect.InventoryJson;
import org.niovirt.detect.InventoryTable;
import org.niovirt.cli.common.ConnectionInfo;
import org.niovirt.cli.common.GuestOptions;
import org.niovirt.libvirt.DomainState;
import org.niovirt.libvirt.BootPersistence;
import org.niovirt.libvirt.BootUnit;
import org.niovirt.libvirt.LaunchedGuest;
import org.niovirt.libvirt.NumVfsChange;
import org.niovirt.remote.SshDestination;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code nio-virt launch}: the whole path in one command: detect, plan, write the XML, launch, and
 * read the domain's state back from libvirt.
 */
@Command(name = "launch", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Detect, plan, write the XML and launch a guest; print its state.",
    description = {
      "Detect the host's NICs, plan the guest's network I/O, print the plan with every verdict "
          + "and the domain XML, then define and start the guest through libvirt and print its "
          + "state as libvirt reports it. With --dry-run it stops before changing anything.",
      "",
      "With the defaults this runs on libvirt's in-process test driver: a safe rehearsal.",
    })
final class LaunchCommand implements Callable<Integer> {
  @ParentCommand
  NioVirtCli root;

  @Mixin
  HardwareOptions hardware;

  @Mixin
  ConnectOptions connect;

  @Mixin
  GuestOptions guest;

  @Option(names = {"-n", "--dry-run"},
      description = "Print the inventory, the plan and the XML; define and start nothing.")
  boolean dryRun;

  @Option(names = "--no-persist",
      description = "When the launch creates VFs, do not update the boot unit that re-creates them"
          + " after a reboot (" + BootUnit.DEFAULT_PATH + "); for hosts whose boot configuration"
          + " is managed otherwise.")
  boolean noPersist;

  @Mixin
  FormatOption output;

  @Mixin
  FleetOptions fleet;

  /** With --fleet: where the guest was placed and why. */
  private FleetOptions.Chosen chosen;

  @Override
  public Integer call() {
    boolean json = output.json();
    Progress progress = root.progress(json);
    PrintStream out = root.terminal().out();
    if (fleet.file != null) {
      fleet.requireAlone(connect, hardware, null);
      chosen = fleet.place(guest, progress);
      FleetOptions.target(chosen, connect, hardware);
      if (!json) {
        FleetOptions.printPlacement(chosen, out);
      }
      progress.note("placed " + guest.name() + " on " + chosen.placement().host() + " (" + connect.uri() + ")");
    } else {
      fleet.requireNoHost();
    }
    try (PlanningSession session = PlanningSession.open(hardware, connect, guest, progress, true)) {
      if (!json) {
        section(out, "Network cards of " + hardware.describe(connect));
        out.print(InventoryTable.render(session.inventory));
        section(out, "Plan");
        out.print(PlanReport.text(session.planning));
        section(out, "Domain XML");
        out.print(session.planning.domainXml());
      }
      LaunchedGuest launched = null;
      DomainState state = null;
      if (!dryRun) {
        launched = progress.step("Launching " + guest.name() + " on " + connect.uri(),
            () -> session.host.launch(session.planning.preview()));
        // Read back, not assumed: what libvirt says now.
        state = session.host.state(launched.name());
        keepBootUnitCurrent(session, launched, progress);
      }
      if (json) {
        out.println(json(session, launched, state).toPrettyString());
      } else {
        printOutcome(out, launched, state);
      }
    }
    return ExitCode.OK;
  }

  /**
   * A launch that created VFs on a real host updates the boot unit, so the VFs come back after a
   * reboot. The guest runs either way: a unit that cannot be written is a warning, not a failure.
   */
  private void keepBootUnitCurrent(PlanningSession session, LaunchedGuest launched, Progress progress) {
    boolean createdVfs = launched.hostChanges().stream().anyMatch(NumVfsChange.class::isInstance);
    if (noPersist || !createdVfs || connect.connection().testDriver()) {
      return;
    }
    if (SshDestination.isSsh(connect.uri())) {
      progress.note("the VFs were created on " + connect.uri() + ": run 'nio-virt host persist' there so"
          + " they come back after its reboot");
      return;
    }
    try {
      new BootPersistence(java.nio.file.Path.of(BootUnit.DEFAULT_PATH))
          .persist(BootPersistence.desired(session.host, session.inventory))
          .forEach(line -> progress.note("boot unit: " + line));
    } catch (RuntimeException e) {
      root.terminal().err().println("nio-virt: warning: the VFs will not come back after a reboot: "
          + e.getMessage() + " (run nio-virt host persist as root, or launch with --no-persist)");
    }
  }

  private void printOutcome(PrintStream out, LaunchedGuest launched, DomainState state) {
    ConnectionInfo connection = connect.connection();
    if (launched == null) {
      section(out, "Dry run");
      out.println("Nothing was defined or started. Run without --dry-run to launch on " + connect.uri() + ".");
      return;
    }
    section(out, "Launched");
    out.println("Domain " + launched.name() + " (" + launched.uuid() + ")");
    out.println("  state read back from libvirt: " + state.displayName());
    out.println("  connection: " + connect.uri() + (connection.testDriver() ? "  [TEST DRIVER]" : ""));
    out.println("  NICs: " + PlanReport.chosen(launched.plan()));
    launched.hostChanges().forEach(change -> out.println("  host: " + change.describe()));
    if (connection.testDriver()) {
      out.println();
      out.println(connection.note());
    } else {
      out.println("Stop it with: nio-virt stop --connect " + connect.uri() + " " + launched.name());
    }
  }

  private ObjectNode json(PlanningSession session, LaunchedGuest launched, DomainState state) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    ConnectionInfo connection = connect.connection();
    node.putObject("connection").put("uri", connect.uri()).put("testDriver", connection.testDriver());
    if (chosen != null) {
      ObjectNode placement = node.putObject("fleet").put("file", chosen.fleet().path().toString())
          .put("host", chosen.placement().host());
      ArrayNode hosts = placement.putArray("hosts");
      chosen.placement().verdicts().forEach(v -> hosts.addObject().put("name", v.host())
          .put("chosen", v.chosen()).put("reason", v.reason()));
    }
    node.set("inventory", InventoryJson.toJson(session.inventory));
    node.set("plan", PlanReport.json(session.planning));
    node.put("domainXml", session.planning.domainXml());
    node.put("dryRun", dryRun);
    if (launched == null) {
      node.putNull("domain");
    } else {
      ObjectNode domain = node.putObject("domain");
      domain.put("name", launched.name());
      domain.put("uuid", launched.uuid().toString());
      domain.put("state", state.displayName());
      ArrayNode changes = domain.putArray("hostChanges");
      launched.hostChanges().forEach(c -> changes.add(c.describe()));
    }
    return node;
  }

  private static void section(PrintStream out, String title) {
    out.println();
    out.println("== " + title + " ==");
  }
}
