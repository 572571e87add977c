package org.niovirt.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.fleet.FleetHost;
import org.niovirt.api.fleet.FleetPlanner;
import org.niovirt.api.fleet.Placement;
import org.niovirt.cli.common.GuestOptions;
import org.niovirt.cli.fleet.FleetFile;
import org.niovirt.cli.fleet.FleetHosts;
import org.niovirt.detect.InventoryJson;
import org.niovirt.detect.InventoryTable;
import picocli.CommandLine.Option;

/** {@code --fleet FILE} and {@code --host NAME}: plan for the best host of a fleet. */
final class FleetOptions {
  @Option(names = "--fleet", paramLabel = "FILE",
      description = "Place the guest on the best host of this fleet file (YAML: a 'hosts' list of"
          + " name, uri and optionally root) and say why for every host.")
  Path file;

  @Option(names = "--host", paramLabel = "NAME", description = "With --fleet: this host of the fleet.")
  String host;

  /** A fleet brings its own connections and hardware: the single-host options do not mix with it. */
  void requireAlone(ConnectOptions connect, HardwareOptions hardware, String other) {
    String clash = connect.givenUri != null ? "--connect" : connect.sampleHost ? "--sample-host"
        : hardware.source != null ? "--root or --node-devices" : other;
    if (clash != null) {
      throw new InvalidInputException("--fleet", file, "each host of a fleet names its own uri and root;"
          + " leave out " + clash);
    }
  }

  void requireNoHost() {
    if (host != null) {
      throw new InvalidInputException("--host", host, "only with --fleet");
    }
  }

  /** Every host's inventory, one section (or JSON object) per host; 1 when a host could not be read. */
  int inventory(Progress progress, boolean json, PrintStream out) {
    requireNoHostWithoutFleet();
    FleetFile fleet = FleetFile.read(file);
    List<FleetHost> hosts = FleetHosts.read(fleet, false, (what, work) -> progress.step(what, work::get));
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("fleet", file.toString());
    ArrayNode array = node.putArray("hosts");
    boolean allRead = true;
    for (FleetHost host : hosts) {
      ObjectNode entry = array.addObject().put("name", host.name());
      if (host instanceof FleetHost.Reachable reachable) {
        entry.set("inventory", InventoryJson.toJson(reachable.inventory()));
        if (!json) {
          out.println("== " + host.name() + " ==");
          out.print(InventoryTable.render(reachable.inventory()));
          out.println();
        }
      } else if (host instanceof FleetHost.Unreachable unreachable) {
        allRead = false;
        entry.put("unavailable", unreachable.reason());
        if (!json) {
          out.println("== " + host.name() + " ==");
          out.println("unavailable: " + unreachable.reason());
          out.println();
        }
      }
    }
    if (json) {
      out.println(node.toPrettyString());
    }
    return allRead ? ExitCode.OK : ExitCode.RUNTIME_FAILURE;
  }

  private void requireNoHostWithoutFleet() {
    if (host != null) {
      throw new InvalidInputException("--host", host, "plan and launch take --host; inventory shows every host");
    }
  }

  /** Where a guest goes: the placement and the chosen host's entry of the fleet file. */
  record Chosen(FleetFile fleet, List<FleetHost> hosts, Placement placement, FleetFile.Entry entry) {}

  /** Reads every host of the fleet and places the guest. */
  Chosen place(GuestOptions guest, Progress progress) {
    FleetFile fleet = FleetFile.read(file);
    if (host != null && fleet.host(host).isEmpty()) {
      throw new InvalidInputException("--host", host, "no host of " + file + " has this name");
    }
    List<FleetHost> hosts = FleetHosts.read(fleet, true, (what, work) -> progress.step(what, work::get));
    Placement placement = progress.step("Placing " + guest.name(), () -> new FleetPlanner(NetworkIoPlanner.create())
        .place(hosts, guest.networkRequest(), Optional.ofNullable(host)));
    return new Chosen(fleet, hosts, placement, fleet.host(placement.host()).orElseThrow());
  }

  /**
   * Points {@code connect} and {@code hardware} at the chosen host, so that the launch runs as a
   * single-host launch there (its lock, preparation and journal; over SSH for an SSH URI).
   */
  static void target(Chosen chosen, ConnectOptions connect, HardwareOptions hardware) {
    FleetFile.Entry entry = chosen.entry();
    connect.givenUri = entry.uri().orElseThrow(() -> new InvalidInputException("hosts." + entry.name()
        + ".uri", "(none)", "the chosen host has only a root, so it can be planned but not launched on;"
        + " give it a uri, or pin another host with --host"));
    entry.root().ifPresent(root -> {
      hardware.source = new HardwareOptions.Source();
      hardware.source.root = root;
    });
  }

  /** The placement lines, for the launch's output. */
  static void printPlacement(Chosen chosen, PrintStream out) {
    out.println("Fleet " + chosen.fleet().path() + ": " + chosen.hosts().size() + " host(s)");
    chosen.placement().verdicts().forEach(v -> out.println("  " + v.describe()));
  }

  /** Plans on every host of the fleet and prints the placement; returns the exit code. */
  int plan(GuestOptions guest, Progress progress, boolean json, PrintStream out) {
    Chosen chosen = place(guest, progress);
    Placement placement = chosen.placement();
    List<FleetHost> hosts = chosen.hosts();
    if (json) {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("guest", guest.name());
      node.put("fleet", file.toString());
      node.put("host", placement.host());
      ArrayNode verdicts = node.putArray("hosts");
      placement.verdicts().forEach(v -> verdicts.addObject().put("name", v.host()).put("chosen", v.chosen())
          .put("reason", v.reason()));
      PlanReport.nics(placement.plan(), node);
      out.println(node.toPrettyString());
      return ExitCode.OK;
    }
    out.println("Fleet " + file + ": " + hosts.size() + " host(s)");
    placement.verdicts().forEach(v -> out.println("  " + v.describe()));
    out.println("Placed " + guest.name() + " on " + placement.host() + ": " + PlanReport.chosen(placement.plan()));
    out.print(placement.plan().explain());
    return ExitCode.OK;
  }
}
