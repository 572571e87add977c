package org.niovirt.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.text.Printable;

/**
 * Kubernetes' SR-IOV stack, one resource per PF whose VFs are exported: the SR-IOV network device
 * plugin's {@code config.json} ({@code resourceList} selecting the PF's safe VFs by
 * {@code rootDevices} with VF index ranges), and the SR-IOV operator's
 * {@code SriovNetworkNodePolicy} ({@code externallyManaged: true}: nio-virt keeps creating the VFs)
 * and {@code SriovNetwork} for each.
 */
public final class KubernetesSriovExport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private KubernetesSriovExport() {}

  /** One PF's exported VFs: its resource name, ids, address, netdev and VF indexes. */
  record PfResource(String resourceName, NetworkFunction pf, String netdev, List<Integer> indexes, String reason) {}

  static List<PfResource> resources(HostInventory inventory, SafeDevices safe) {
    List<PfResource> resources = new ArrayList<>();
    for (NetworkFunction pf : inventory.sriovFunctions()) {
      SriovCapability sriov = pf.sriov().orElseThrow();
      List<SafeDevices.Device> vfs = safe.vfsOf(pf.address());
      if (vfs.isEmpty()) {
        continue;
      }
      String netdev = vfs.get(0).physicalFunctionNetdev().orElse(pf.address().toString());
      List<Integer> indexes = vfs.stream().map(d -> sriov.indexOf(d.address()).orElse(-1)).sorted().toList();
      String name = "nio_virt_" + netdev.replaceAll("[^A-Za-z0-9_-]", "_");
      resources.add(new PfResource(name, pf, netdev, indexes, vfs.size() + " safe VF(s) of "
          + pf.address() + " (" + netdev + "): " + vfs.get(0).reason().replaceFirst("^VF \\d+ of ", "")));
    }
    return resources;
  }

  /** {@code 0-3,5}: VF indexes as the device plugin's ranges. */
  static String ranges(List<Integer> indexes) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < indexes.size(); ) {
      int start = indexes.get(i);
      int end = start;
      while (i + 1 < indexes.size() && indexes.get(i + 1) == end + 1) {
        end = indexes.get(++i);
      }
      out.append(out.length() == 0 ? "" : ",").append(start == end ? "" + start : start + "-" + end);
      i++;
    }
    return out.toString();
  }

  /** The device plugin's config.json. */
  public static ObjectNode devicePluginConfig(HostInventory inventory, SafeDevices safe) {
    ObjectNode config = JSON.createObjectNode();
    ArrayNode list = config.putArray("resourceList");
    for (PfResource resource : resources(inventory, safe)) {
      ObjectNode selector = list.addObject().put("resourceName", resource.resourceName())
          .putArray("selectors").addObject();
      selector.putArray("vendors").add(String.format("%04x", resource.pf().vendorId()));
      selector.putArray("devices").add(String.format("%04x", resource.pf().sriov().orElseThrow().vfDeviceId().orElse(0)));
      selector.putArray("rootDevices").add(resource.pf().address() + "#" + ranges(resource.indexes()));
    }
    return config;
  }

  /** The config.json after its reasons (JSON has no comments: they go to the caller's stream). */
  public static String renderDevicePlugin(HostInventory inventory, SafeDevices safe, List<String> reasons) {
    resources(inventory, safe).forEach(r -> reasons.add(r.resourceName() + ": " + r.reason()));
    return devicePluginConfig(inventory, safe).toPrettyString() + "\n";
  }

  /** The operator's objects, one policy and one network per PF, as a multi-document YAML. */
  public static String renderOperator(HostInventory inventory, SafeDevices safe, String nodeName,
      String namespace) {
    StringBuilder out = new StringBuilder("# Written by nio-virt export --to sriov-operator: the VFs nio-virt"
        + " creates (externallyManaged), only the safe ones.\n");
    for (PfResource resource : resources(inventory, safe)) {
      out.append("---\n# ").append(Printable.escape(resource.reason()).replace('\n', ' ')).append('\n');
      out.append(yaml(policy(resource, nodeName, namespace))).append("---\n").append(yaml(network(resource, namespace)));
    }
    return out.toString();
  }

  static ObjectNode policy(PfResource resource, String nodeName, String namespace) {
    ObjectNode policy = YAML.createObjectNode().put("apiVersion", "sriovnetwork.openshift.io/v1")
        .put("kind", "SriovNetworkNodePolicy");
    policy.putObject("metadata").put("name", resource.resourceName().replace('_', '-')).put("namespace", namespace);
    ObjectNode spec = policy.putObject("spec").put("resourceName", resource.resourceName())
        .put("numVfs", resource.indexes().get(resource.indexes().size() - 1) + 1)
        .put("deviceType", "netdevice").put("externallyManaged", true);
    spec.putObject("nodeSelector").put("kubernetes.io/hostname", nodeName);
    ObjectNode nic = spec.putObject("nicSelector").put("vendor", String.format("%04x", resource.pf().vendorId()))
        .put("deviceID", String.format("%04x", resource.pf().deviceId()));
    nic.putArray("rootDevices").add(resource.pf().address().toString());
    nic.putArray("pfNames").add(resource.netdev() + "#" + ranges(resource.indexes()));
    return policy;
  }

  static ObjectNode network(PfResource resource, String namespace) {
    ObjectNode network = YAML.createObjectNode().put("apiVersion", "sriovnetwork.openshift.io/v1")
        .put("kind", "SriovNetwork");
    network.putObject("metadata").put("name", resource.resourceName().replace('_', '-')).put("namespace", namespace);
    network.putObject("spec").put("resourceName", resource.resourceName()).put("networkNamespace", "default")
        .put("ipam", "{}");
    return network;
  }

  private static String yaml(ObjectNode node) {
    try {
      return YAML.writeValueAsString(node).replaceFirst("^---\n", "");
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
