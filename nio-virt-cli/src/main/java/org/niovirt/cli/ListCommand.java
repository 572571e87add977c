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
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.error.NioVirtException;
import org.niovirt.cli.common.ConnectionInfo;
import org.niovirt.cli.fleet.FleetFile;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.LibvirtHostOptions;
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

  @Mixin
  FleetOptions fleet;

  @Override
  public Integer call() {
    boolean json = output.json();
    PrintStream out = root.terminal().out();
    if (fleet.file != null) {
      fleet.requireAlone(connect, new HardwareOptions(), null);
      return listFleet(json, out);
    }
    fleet.requireNoHost();
    try (LibvirtHost host = connect.connect(root.progress(json))) {
      List<GuestSummary> guests = host.list();
      if (json) {
        out.println(json(connect.uri(), connect.connection().testDriver(), guests).toPrettyString());
      } else {
        print(out, connect.uri(), connect.connection().testDriver(), guests);
      }
    }
    return ExitCode.OK;
  }

  /** Every host of the fleet in turn; one that cannot be reached is named, the others listed. */
  private int listFleet(boolean json, PrintStream out) {
    FleetFile file = FleetFile.read(fleet.file);
    Progress progress = root.progress(json);
    ObjectNode node = JsonNodeFactory.instance.objectNode().put("fleet", fleet.file.toString());
    ArrayNode hosts = node.putArray("hosts");
    boolean allListed = true;
    for (FleetFile.Entry entry : file.hosts()) {
      ObjectNode host = hosts.addObject().put("name", entry.name());
      if (!json) {
        out.println("== " + entry.name() + " ==");
      }
      try {
        String uri = entry.uri().orElseThrow(() -> new InvalidInputException("hosts." + entry.name() + ".uri",
            "(none)", "a host with only a root is planned offline: it has no domains to list"));
        boolean testDriver = new ConnectionInfo(uri).testDriver();
        try (LibvirtHost libvirt = progress.step("Connecting to " + uri,
            () -> LibvirtHost.connect(uri, LibvirtHostOptions.defaults()))) {
          List<GuestSummary> guests = libvirt.list();
          host.setAll(json(uri, testDriver, guests));
          if (!json) {
            print(out, uri, testDriver, guests);
          }
        }
      } catch (NioVirtException e) {
        allListed = false;
        host.put("unavailable", e.getMessage());
        if (!json) {
          out.println("unavailable: " + e.getMessage());
        }
      }
    }
    if (json) {
      out.println(node.toPrettyString());
    }
    return allListed ? ExitCode.OK : ExitCode.RUNTIME_FAILURE;
  }

  private static ObjectNode json(String uri, boolean testDriver, List<GuestSummary> guests) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.putObject("connection").put("uri", uri).put("testDriver", testDriver);
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
    return node;
  }

  private static void print(PrintStream out, String uri, boolean testDriver, List<GuestSummary> guests) {
    out.println("Domains on " + uri + (testDriver ? "  [TEST DRIVER: a fresh simulated host in this process]" : ""));
    if (guests.isEmpty()) {
      out.println("  none");
      return;
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
