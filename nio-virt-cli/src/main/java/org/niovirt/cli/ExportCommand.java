package org.niovirt.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.export.KubernetesSriovExport;
import org.niovirt.export.KubevirtExport;
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
  static final List<String> FORMATS = List.of("nova", "neutron", "kubevirt", "sriov-device-plugin", "sriov-operator");

  @ParentCommand
  NioVirtCli root;

  @Mixin
  HardwareOptions hardware;

  @Mixin
  ConnectOptions connect;

  @Option(names = "--to", required = true, paramLabel = "FORMAT",
      description = "nova (nova.conf [pci], Nova 26), neutron (the SR-IOV agent's [sriov_nic]), kubevirt"
          + " (the KubeVirt CR's permittedHostDevices), sriov-device-plugin (its config.json) or"
          + " sriov-operator (SriovNetworkNodePolicy and SriovNetwork).")
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
    HardwareOptions.HostFacts host = hardware.readWithUsage(progress, connect);
    SafeDevices safe = SafeDevices.of(host.inventory(), PlannerPolicy.defaults(), host.usage());
    switch (format) {
      case "nova" -> out.print(NovaExport.render(safe, networks, explain));
      case "neutron" -> out.print(NeutronExport.render(host.inventory(), safe, networks, explain));
      case "kubevirt" -> out.print(KubevirtExport.render(host.inventory(), safe, explain));
      case "sriov-operator" -> out.print(KubernetesSriovExport.renderOperator(host.inventory(), safe,
          nodeName != null ? nodeName : localHostName(), namespace));
      default -> {
        // JSON has no comments: the reasons go beside it, on stderr.
        List<String> reasons = new java.util.ArrayList<>();
        out.print(KubernetesSriovExport.renderDevicePlugin(host.inventory(), safe, reasons));
        reasons.forEach(reason -> root.terminal().err().println("# " + reason));
        if (explain) {
          safe.leftOut().forEach(left -> root.terminal().err().println("# left out: " + left.description() + ": "
              + left.reason()));
        }
      }
    }
    return ExitCode.OK;
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
