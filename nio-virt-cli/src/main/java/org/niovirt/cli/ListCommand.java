package org.niovirt.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.niovirt.libvirt.GuestSummary;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.xml.RecordedNic;
import org.niovirt.libvirt.xml.RecordedPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code nio-virt list}: the domains of a connection and the host devices each holds. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
    header = "List the domains, the host devices each holds and why.",
    description = "List every defined or running domain of the connection with its state, the "
        + "host PCI functions it holds (the device ledger, read from libvirt itself) and, for "
        + "domains nio-virt defined, why each NIC got its technology (kept in the domain's metadata).")
final class ListCommand implements Callable<Integer> {
  static final String NOT_RECORDED = "not recorded (no nio-virt plan in the domain's metadata)";

  @ParentCommand
  NioVirtCli root;

  @Mixin
  ConnectOptions connect;

  @Mixin
  FormatOption output;

  @Override
  public Integer call() {
    boolean json = output.json();
    PrintStream out = root.terminal().out();
    try (LibvirtHost host = connect.connect(root.progress(json))) {
      List<GuestSummary> guests = host.list();
      if (json) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.putObject("connection").put("uri", connect.uri())
            .put("testDriver", connect.connection().testDriver());
        ArrayNode domains = node.putArray("domains");
        for (GuestSummary guest : guests) {
          ObjectNode d = domains.addObject();
          d.put("name", guest.name());
          d.put("uuid", guest.uuid().toString());
          d.put("state", guest.state().displayName());
          d.put("persistent", guest.persistent());
          ArrayNode devices = d.putArray("hostDevices");
          guest.hostDevices().forEach(a -> devices.add(a.toString()));
          guest.recordedPlan().ifPresentOrElse(plan -> d.set("recordedPlan", recordedPlanJson(plan)),
              () -> d.putNull("recordedPlan"));
        }
        out.println(node.toPrettyString());
        return ExitCode.OK;
      }
      out.println("Domains on " + connect.uri()
          + (connect.connection().testDriver()
              ? "  [TEST DRIVER: a fresh simulated host in this process]" : ""));
      if (guests.isEmpty()) {
        out.println("  none");
        return ExitCode.OK;
      }
      int width = Math.max(4, guests.stream().mapToInt(g -> g.name().length()).max().orElse(4));
      out.printf("  %-" + width + "s  %-12s  %-10s  %s%n", "NAME", "STATE", "PERSISTENT", "HOST DEVICES");
      for (GuestSummary guest : guests) {
        String devices = guest.hostDevices().isEmpty() ? "-"
            : guest.hostDevices().stream().map(Object::toString).collect(Collectors.joining(", "));
        out.printf("  %-" + width + "s  %-12s  %-10s  %s%n", guest.name(),
            guest.state().displayName(), guest.persistent() ? "yes" : "no (transient)", devices);
        out.print(reasons(guest.recordedPlan()));
      }
    }
    return ExitCode.OK;
  }

  /** Each recorded NIC's choice and verdicts, indented under the domain's row. */
  private static String reasons(Optional<RecordedPlan> plan) {
    if (plan.isEmpty()) {
      return "      why: " + NOT_RECORDED + "\n";
    }
    StringBuilder out = new StringBuilder();
    for (RecordedNic nic : plan.get().nics()) {
      nic.explain().lines().forEach(line -> out.append("      ").append(line).append('\n'));
    }
    return out.toString();
  }

  private static ObjectNode recordedPlanJson(RecordedPlan plan) {
    ObjectNode node = JsonNodeFactory.instance.objectNode().put("guest", plan.guestName());
    ArrayNode nics = node.putArray("nics");
    for (RecordedNic nic : plan.nics()) {
      ObjectNode n = nics.addObject().put("index", nic.nicIndex()).put("technology", nic.technology().id());
      ArrayNode devices = n.putArray("hostDevices");
      nic.devices().forEach(d -> devices.add(d.toString()));
      n.put("reason", nic.reason());
      n.set("verdicts", PlanReport.verdicts(nic.verdicts()));
    }
    return node;
  }
}
