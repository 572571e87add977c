package org.niovirt.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.text.Printable;

/**
 * The {@code [sriov_nic]} section of Neutron's SR-IOV agent ({@code sriov_agent.ini}):
 * {@code physical_device_mappings} for each PF whose VFs are exported and that has a physical
 * network, and {@code exclude_devices} for its VFs that must not be handed out (held by a local
 * libvirt guest, or unsafe), so that two managers never hand out one VF.
 */
public final class NeutronExport {
  private NeutronExport() {}

  /** @param physicalNetworks PF netdev name or PCI address to physical network */
  public static String render(HostInventory inventory, SafeDevices safe, Map<String, String> physicalNetworks,
      boolean explain) {
    StringBuilder out = new StringBuilder("# Written by nio-virt export --to neutron: the SR-IOV agent's"
        + " PFs and the VFs it must leave alone.\n[sriov_nic]\n");
    Map<String, String> mappings = new LinkedHashMap<>();
    Map<String, TreeSet<String>> excluded = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    for (NetworkFunction pf : inventory.sriovFunctions()) {
      List<SafeDevices.Device> vfs = safe.vfsOf(pf.address());
      if (vfs.isEmpty() || vfs.get(0).physicalFunctionNetdev().isEmpty()) {
        continue; // nothing of this PF is handed out (the reasons are in --explain)
      }
      String netdev = vfs.get(0).physicalFunctionNetdev().get();
      String network = physicalNetworks.getOrDefault(pf.address().toString(), physicalNetworks.get(netdev));
      if (network == null) {
        notes.add("left out: " + netdev + " (" + pf.address() + "): give it a physical network with"
            + " --physical-network " + netdev + "=NETWORK");
        continue;
      }
      mappings.put(network + ":" + netdev, network + " -> " + netdev + " (" + pf.address() + "): "
          + vfs.size() + " VF(s) for the agent");
      for (PciAddress vf : pf.sriov().map(SriovCapability::allVfAddresses).orElse(java.util.Set.of())) {
        safe.leftOut().stream().filter(left -> left.address().equals(vf)).findFirst().ifPresent(left -> {
          excluded.computeIfAbsent(netdev, n -> new TreeSet<>()).add(vf.toString());
          notes.add("excluded " + vf + " of " + netdev + ": " + left.reason());
        });
      }
    }
    mappings.values().forEach(reason -> comment(out, reason));
    out.append("physical_device_mappings = ").append(String.join(",", mappings.keySet())).append('\n');
    notes.stream().filter(n -> n.startsWith("excluded")).forEach(n -> comment(out, n));
    List<String> exclusions = new ArrayList<>();
    excluded.forEach((netdev, vfs) -> exclusions.add(netdev + ":" + String.join(";", vfs)));
    out.append("exclude_devices = ").append(String.join(",", exclusions)).append('\n');
    if (explain) {
      notes.stream().filter(n -> n.startsWith("left out")).forEach(n -> comment(out, n));
      safe.leftOut().stream().filter(left -> inventory.function(left.address()).isPresent())
          .forEach(left -> comment(out, "left out: " + left.description() + ": " + left.reason()));
    }
    return out.toString();
  }

  private static void comment(StringBuilder out, String text) {
    out.append("# ").append(Printable.escape(text).replace('\n', ' ')).append('\n');
  }
}
