package org.niovirt.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.text.Printable;

/**
 * KubeVirt's {@code spec.configuration.permittedHostDevices.pciHostDevices} for the whole functions
 * that are safe to pass through. KubeVirt selects devices by {@code vendor:device} on the whole
 * node, so an id is exported only when every function of the host with that id is safe: otherwise
 * the selector would also hand out the unsafe one, and the id is left out with the reason.
 */
public final class KubevirtExport {
  /** The resource prefix the selectors' devices are offered under. */
  public static final String RESOURCE_PREFIX = "nio-virt.io/";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private KubevirtExport() {}

  /** The KubeVirt CR ({@code kubevirt.io/v1}) whose configuration permits the safe devices. */
  public static ObjectNode kubevirt(HostInventory inventory, SafeDevices safe, List<String> reasons) {
    ObjectNode root = YAML.createObjectNode().put("apiVersion", "kubevirt.io/v1").put("kind", "KubeVirt");
    root.putObject("metadata").put("name", "kubevirt").put("namespace", "kubevirt");
    ObjectNode configuration = root.putObject("spec").putObject("configuration");
    configuration.putObject("developerConfiguration").putArray("featureGates").add("HostDevices");
    ArrayNode devices = configuration.putObject("permittedHostDevices").putArray("pciHostDevices");
    Map<String, List<SafeDevices.Device>> byId = new TreeMap<>();
    safe.devices().stream().filter(d -> d.kind() == SafeDevices.Kind.WHOLE_FUNCTION)
        .forEach(d -> byId.computeIfAbsent(selector(d.vendorId(), d.deviceId()), k -> new ArrayList<>()).add(d));
    byId.forEach((selector, safeOnes) -> {
      List<String> unsafe = sameIdNotExported(inventory, safeOnes);
      if (!unsafe.isEmpty()) {
        reasons.add("left out: selector " + selector + ": it would also match " + String.join(", ", unsafe)
            + ", which is not safe to pass through");
        return;
      }
      String resource = RESOURCE_PREFIX + selector.toLowerCase(Locale.ROOT).replace(':', '_');
      devices.addObject().put("pciVendorSelector", selector).put("resourceName", resource);
      safeOnes.forEach(d -> reasons.add(selector + " (" + resource + "): " + d.reason()));
    });
    return root;
  }

  /** The CR as YAML, after a comment block with every entry's reason (and what was left out). */
  public static String render(HostInventory inventory, SafeDevices safe, boolean explain) {
    List<String> reasons = new ArrayList<>();
    ObjectNode document = kubevirt(inventory, safe, reasons);
    if (explain) {
      safe.leftOut().forEach(left -> reasons.add("left out: " + left.description() + ": " + left.reason()));
    }
    StringBuilder out = new StringBuilder("# Written by nio-virt export --to kubevirt: only whole functions"
        + " safe to pass through.\n");
    reasons.forEach(reason -> out.append("# ").append(Printable.escape(reason).replace('\n', ' ')).append('\n'));
    try {
      return out.append(YAML.writeValueAsString(document)).toString();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> sameIdNotExported(HostInventory inventory, List<SafeDevices.Device> safeOnes) {
    List<PciAddress> exported = safeOnes.stream().map(SafeDevices.Device::address).toList();
    int vendor = safeOnes.get(0).vendorId();
    int device = safeOnes.get(0).deviceId();
    List<String> others = new ArrayList<>();
    for (NetworkFunction function : inventory.functions().toList()) {
      if (function.vendorId() == vendor && function.deviceId() == device && !exported.contains(function.address())) {
        others.add(function.address().toString());
      }
    }
    return others;
  }

  private static String selector(int vendor, int device) {
    return String.format("%04X:%04X", vendor, device);
  }
}
