package org.niovirt.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.text.Printable;

/**
 * The {@code [pci]} section of {@code nova.conf} for Nova 26 (Zed, Debian 12): one
 * {@code device_spec} per exported device, by exact address (a VF's PF address cannot be matched
 * on the machine that checks the file, and an exact address never matches a function by accident),
 * with {@code physical_network} from the PF mapping, and one {@code alias} per kind of device
 * ({@code type-VF} for VFs, {@code type-PCI} for whole functions) with only the keys Nova 26's
 * alias schema allows. Every entry follows a comment with its reason; {@code explain} adds the
 * functions left out.
 */
public final class NovaExport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NovaExport() {}

  /**
   * @param physicalNetworks PF address or PF netdev name to Neutron physical network; PFs not named
   *     get no {@code physical_network} (usable through an alias only)
   */
  public static String render(SafeDevices safe, Map<String, String> physicalNetworks, boolean explain) {
    StringBuilder out = new StringBuilder("# Written by nio-virt export --to nova: only what is safe to"
        + " assign on this host, each with its reason.\n[pci]\n");
    Map<String, ObjectNode> aliases = new LinkedHashMap<>();
    for (SafeDevices.Device device : safe.devices()) {
      ObjectNode spec = JSON.createObjectNode()
          .put("vendor_id", hex(device.vendorId()))
          .put("product_id", hex(device.deviceId()))
          .put("address", device.address().toString());
      physicalNetwork(device, physicalNetworks).ifPresent(network -> spec.put("physical_network", network));
      comment(out, device.reason());
      out.append("device_spec = ").append(spec).append('\n');
      String type = device.kind() == SafeDevices.Kind.VF ? "type-VF" : "type-PCI";
      String name = (device.kind() == SafeDevices.Kind.VF ? "vf-" : "pci-") + hex(device.vendorId()) + "-"
          + hex(device.deviceId());
      aliases.computeIfAbsent(name, n -> JSON.createObjectNode().put("name", n)
          .put("vendor_id", hex(device.vendorId())).put("product_id", hex(device.deviceId()))
          .put("device_type", type));
    }
    aliases.forEach((name, alias) -> {
      comment(out, "flavors ask for these with pci_passthrough:alias=" + name + ":1");
      out.append("alias = ").append(alias).append('\n');
    });
    if (explain) {
      for (SafeDevices.LeftOut left : safe.leftOut()) {
        comment(out, "left out: " + left.description() + ": " + left.reason());
      }
    }
    return out.toString();
  }

  private static Optional<String> physicalNetwork(SafeDevices.Device device, Map<String, String> networks) {
    Optional<PciAddress> pf = device.physicalFunction();
    if (pf.isEmpty()) {
      return Optional.empty();
    }
    String byAddress = networks.get(pf.get().toString());
    return byAddress != null ? Optional.of(byAddress)
        : device.physicalFunctionNetdev().map(networks::get);
  }

  /** A comment line; what the host reported is escaped so that it cannot end the comment. */
  private static void comment(StringBuilder out, String text) {
    out.append("# ").append(Printable.escape(text).replace('\n', ' ')).append('\n');
  }

  private static String hex(int id) {
    return String.format("%04x", id);
  }
}
