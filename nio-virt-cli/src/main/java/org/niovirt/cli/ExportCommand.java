package org.niovirt.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.fleet.FleetHost;
import org.niovirt.cli.common.GuestOptions;
import org.niovirt.cli.fleet.FleetFile;
import org.niovirt.cli.fleet.FleetHosts;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.export.KubernetesSriovExport;
import org.niovirt.export.KubevirtExport;
import org.niovirt.export.KubevirtVmiExport;
import org.niovirt.export.NeutronExport;
import org.niovirt.export.NovaExport;
import org.niovirt.export.SafeDevices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code nio-virt export}: a cloud engine's device configuration, holding only what is safe. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Write a cloud engine's device configuration with only what is safe to assign.",
    description = "Write Nova's [pci] lines, Neutron's SR-IOV agent mappings, KubeVirt's"
        + " permittedHostDevices, the SR-IOV device plugin's config.json or the SR-IOV operator's"
        + " policies for this host (or --root, or --connect a host over"
        + " SSH): never the management NIC or its PF's VFs, never a function whose IOMMU group cannot"
        + " go whole, never without interrupt remapping, never a VF a local libvirt guest holds."
        + " Each entry follows a comment with its reason; --explain lists what was left out.")
final class ExportCommand implements Callable<Integer> {
  /** The engines this command writes for, by their option value. */
  static final List<String> FORMATS = List.of("nova", "neutron", "kubevirt", "sriov-device-plugin", "sriov-operator",
      "kubevirt-vmi");

  @ParentCommand
  NioVirtCli root;

  @Mixin
  HardwareOptions hardware;

  @Mixin
  ConnectOptions connect;

  @Option(names = "--to", required = true, paramLabel = "FORMAT",
      description = "nova (nova.conf [pci], Nova 26), neutron (the SR-IOV agent's [sriov_nic]), kubevirt"
          + " (the KubeVirt CR's permittedHostDevices), sriov-device-plugin (its config.json),"
          + " sriov-operator (SriovNetworkNodePolicy and SriovNetwork) or kubevirt-vmi (a"
          + " VirtualMachineInstance for the guest the guest options describe, planned on this host).")
  String format;

  @Option(names = "--node-name", paramLabel = "NAME",
      description = "With --to sriov-operator: the Kubernetes node (kubernetes.io/hostname). Default: this"
          + " machine's host name.")
  String nodeName;

  @Option(names = "--namespace", paramLabel = "NAMESPACE", defaultValue = "sriov-network-operator",
      description = "With --to sriov-operator: the operator's namespace. Default: ${DEFAULT-VALUE}.")
  String namespace;

  @Option(names = "--explain", description = "Also list every network function left out, with the reason.")
  boolean explain;

  @Option(names = "--physical-network", paramLabel = "PF=NETWORK", split = ",",
      description = "With --to nova: the Neutron physical network of a PF's VFs, by PF netdev or PCI"
          + " address (repeatable), e.g. eth3=physnet1.")
  List<String> physicalNetworks = List.of();

  @Option(names = "--nova-version", paramLabel = "VERSION", defaultValue = "26",
      description = "With --to nova: the Nova release to write for. Only 26 (Zed, Debian 12), whose"
          + " alias schema rejects resource_class, traits and live_migratable. Default: ${DEFAULT-VALUE}.")
  String novaVersion;

  @Mixin
  FleetOptions fleet;

  /** With --to kubevirt-vmi: the guest to plan (its NICs, MACs, memory). */
  @Mixin
  GuestOptions guest;

  @Option(names = "--output-dir", paramLabel = "DIR",
      description = "With --fleet: write one file per host there (NAME.nova.conf, NAME.sriov_agent.ini,"
          + " NAME.kubevirt.yaml, NAME.config.json, NAME.sriov-operator.yaml).")
  Path outputDirectory;

  @Override
  public Integer call() {
    if (!novaVersion.equals("26") && !novaVersion.startsWith("26.")) {
      throw new InvalidInputException("--nova-version", novaVersion, "only Nova 26 (Zed, Debian 12's) is"
          + " written; its alias keys are name, vendor_id, product_id, device_type and numa_policy");
    }
    if (!FORMATS.contains(format)) {
      throw new InvalidInputException("--to", format, "one of " + String.join(", ", FORMATS));
    }
    Map<String, String> networks = networks();
    Progress progress = root.progress(true);
    PrintStream out = root.terminal().out();
    if (fleet.file != null) {
      fleet.requireAlone(connect, hardware, null);
      return exportFleet(networks, progress);
    }
    fleet.requireNoHost();
    HardwareOptions.HostFacts host = hardware.readWithUsage(progress, connect);
    out.print(render(host, networks, "", root.terminal().err()));
    return ExitCode.OK;
  }

  /** Every reachable host of the fleet into its own file; 1 when a host could not be read. */
  private int exportFleet(Map<String, String> networks, Progress progress) {
    if (outputDirectory == null) {
      throw new InvalidInputException("--output-dir", "(none)", "with --fleet, one file per host is written there");
    }
    boolean allRead = true;
    for (FleetHost member : FleetHosts.read(
        FleetFile.read(fleet.file), true, (what, work) -> progress.step(what, work::get))) {
      if (member instanceof FleetHost.Reachable reachable) {
        Path file = outputDirectory.resolve(reachable.name() + "." + fileSuffix());
        String text = render(new HardwareOptions.HostFacts(reachable.inventory(), reachable.usage()), networks,
            reachable.name(), root.terminal().err());
        try {
          Files.createDirectories(outputDirectory);
          Files.writeString(file, text);
        } catch (IOException e) {
          throw new InvalidInputException("--output-dir", outputDirectory, "cannot write " + file + ": " + e.getMessage());
        }
        root.terminal().out().println(reachable.name() + ": " + file);
      } else if (member instanceof FleetHost.Unreachable unreachable) {
        allRead = false;
        root.terminal().out().println(unreachable.name() + ": not exported: " + unreachable.reason());
      }
    }
    return allRead ? ExitCode.OK : ExitCode.RUNTIME_FAILURE;
  }

  private String fileSuffix() {
    return switch (format) {
      case "nova" -> "nova.conf";
      case "neutron" -> "sriov_agent.ini";
      case "kubevirt" -> "kubevirt.yaml";
      case "kubevirt-vmi" -> "vmi.yaml";
      case "sriov-operator" -> "sriov-operator.yaml";
      default -> "config.json";
    };
  }

  /**
   * One host's configuration in the chosen format; the device plugin's reasons go to {@code notes}
   * ({@code hostName}: a fleet host's name, empty for a single host).
   */
  private String render(HardwareOptions.HostFacts host, Map<String, String> networks, String hostName,
      PrintStream notes) {
    SafeDevices safe = SafeDevices.of(host.inventory(), PlannerPolicy.defaults(), host.usage());
    switch (format) {
      case "nova":
        return NovaExport.render(safe, networks, explain);
      case "neutron":
        return NeutronExport.render(host.inventory(), safe, networks, explain);
      case "kubevirt":
        return KubevirtExport.render(host.inventory(), safe, explain);
      case "kubevirt-vmi":
        return KubevirtVmiExport.render(NetworkIoPlanner.create().plan(host.inventory(), guest.networkRequest(),
            host.usage()), host.inventory(), guest.memoryMiB());
      case "sriov-operator":
        return KubernetesSriovExport.renderOperator(host.inventory(), safe,
            nodeName != null ? nodeName : !hostName.isEmpty() ? hostName : localHostName(), namespace);
      default:
        // JSON has no comments: the reasons go beside it (stderr).
        List<String> reasons = new java.util.ArrayList<>();
        String json = KubernetesSriovExport.renderDevicePlugin(host.inventory(), safe, reasons);
        String prefix = hostName.isEmpty() ? "# " : "# " + hostName + ": ";
        reasons.forEach(reason -> notes.println(prefix + reason));
        if (explain) {
          safe.leftOut().forEach(left -> notes.println(prefix + "left out: " + left.description() + ": "
              + left.reason()));
        }
        return json;
    }
  }

  private static String localHostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      throw new InvalidInputException("--node-name", "(none)", "this machine has no resolvable host name; give"
          + " the Kubernetes node's name");
    }
  }

  private Map<String, String> networks() {
    Map<String, String> networks = new LinkedHashMap<>();
    for (String mapping : physicalNetworks) {
      int equals = mapping.indexOf('=');
      if (equals <= 0 || equals == mapping.length() - 1
          || !mapping.substring(equals + 1).matches("[A-Za-z0-9_.-]+")) {
        throw new InvalidInputException("--physical-network", mapping,
            "PF=NETWORK with a PF netdev or PCI address and a network of letters, digits, '_', '.', '-'");
      }
      networks.put(mapping.substring(0, equals), mapping.substring(equals + 1));
    }
    if (!networks.isEmpty() && !format.equals("nova") && !format.equals("neutron")) {
      throw new InvalidInputException("--physical-network", String.join(",", physicalNetworks),
          "only with --to nova or --to neutron");
    }
    return networks;
  }
}
