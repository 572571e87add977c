package org.niovirt.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.advice.Advice;
import org.niovirt.api.advice.Advisor;
import org.niovirt.cli.common.AdviceJson;
import java.util.concurrent.Callable;
import org.niovirt.cli.common.GuestOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code nio-virt plan}: which technology each guest NIC would get, and why. Changes nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Choose each guest NIC's technology and say why; changes nothing.",
    description = "Choose the network I/O of each NIC of a guest (SR-IOV VF, VT-d passthrough or "
        + "virtio) and print every provider's verdict. Devices that defined domains hold are "
        + "left out. Changes nothing; 'nio-virt launch --dry-run' also prints the inventory "
        + "and the domain XML.")
final class PlanCommand implements Callable<Integer> {
  @ParentCommand
  NioVirtCli root;

  @Mixin
  HardwareOptions hardware;

  @Mixin
  ConnectOptions connect;

  @Mixin
  GuestOptions guest;

  @Option(names = "--xml", description = "Also print the domain XML.")
  boolean showXml;

  @Mixin
  FleetOptions fleet;

  @Mixin
  FormatOption output;

  @Override
  public Integer call() {
    Progress progress = root.progress(output.json());
    PrintStream out = root.terminal().out();
    if (fleet.file != null) {
      fleet.requireAlone(connect, hardware, showXml ? "--xml" : null);
      return fleet.plan(guest, progress, output.json(), out);
    }
    fleet.requireNoHost();
    try (PlanningSession session = PlanningSession.open(hardware, connect, guest, progress, false)) {
      List<Advice> advice = Advisor.advise(NetworkIoPlanner.create(), session.inventory, guest.networkRequest(),
          session.usage, session.planning.plan());
      if (output.json()) {
        ObjectNode json = PlanReport.json(session.planning);
        json.set("advice", AdviceJson.of(advice));
        json.put("hardware", session.inventory.source());
        json.put("connection", connect.uri());
        if (showXml) {
          json.put("domainXml", session.planning.domainXml());
        }
        out.println(json.toPrettyString());
        return ExitCode.OK;
      }
      out.println("Hardware: " + session.inventory.source() + "; devices in use read from "
          + connect.uri() + " (" + session.usage.holders().size() + " held)");
      out.print(PlanReport.text(session.planning));
      advice.forEach(a -> {
        out.println("  advice for nic " + a.nicIndex() + ": " + a.unlocks().id() + " instead of " + a.from().id()
            + " (" + a.proof() + "):");
        a.remedies().forEach(r -> out.println("    " + r.describe()));
      });
      if (showXml) {
        out.println();
        out.print(session.planning.domainXml());
      }
    }
    return ExitCode.OK;
  }
}
