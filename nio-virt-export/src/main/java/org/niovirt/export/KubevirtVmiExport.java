package org.niovirt.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.NicAssignment;
import org.niovirt.api.plan.PassthroughNic;
import org.niovirt.api.plan.SriovNic;
import org.niovirt.api.text.Printable;

/**
 * A KubeVirt {@code VirtualMachineInstance} for a planned guest: each SR-IOV NIC an interface with
 * {@code sriov: {}} on the multus network of its PF's {@code SriovNetwork} (as {@code --to
 * sriov-operator} names it), each passed-through function a {@code hostDevices} entry of the
 * resource {@code --to kubevirt} permits, the first virtio NIC the pod network (masquerade) and
 * further ones bridges on multus networks named after their NIC. Each NIC's reason is a comment.
 */
public final class KubevirtVmiExport {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private KubevirtVmiExport() {}

  public static ObjectNode vmi(GuestNetworkPlan plan, HostInventory inventory, int memoryMiB) {
    ObjectNode vmi = YAML.createObjectNode().put("apiVersion", "kubevirt.io/v1").put("kind", "VirtualMachineInstance");
    vmi.putObject("metadata").put("name", plan.guestName());
    ObjectNode spec = vmi.putObject("spec");
    ObjectNode domain = spec.putObject("domain");
    domain.putObject("resources").putObject("requests").put("memory", memoryMiB + "Mi");
    ObjectNode devices = domain.putObject("devices");
    ArrayNode interfaces = devices.putArray("interfaces");
    ArrayNode hostDevices = devices.putArray("hostDevices");
    ArrayNode networks = spec.putArray("networks");
    boolean podUsed = false;
    for (NicAssignment nic : plan.assignments()) {
      String name = "nic" + nic.nicIndex();
      if (nic instanceof SriovNic sriov) {
        ObjectNode iface = interfaces.addObject().put("name", name);
        iface.putObject("sriov");
        sriov.mac().ifPresent(mac -> iface.put("macAddress", mac.toString()));
        String network = sriov.physicalFunctionNetdev().map(n -> "nio-virt-" + n.replaceAll("[^A-Za-z0-9_-]", "-"))
            .orElse("nio-virt-" + sriov.physicalFunction().toString().replaceAll("[^0-9a-f]", "-"));
        networks.addObject().put("name", name).putObject("multus").put("networkName", network);
      } else if (nic instanceof PassthroughNic passthrough) {
        passthrough.devices().forEach(address -> {
          NetworkFunction function = inventory.function(address).orElseThrow();
          hostDevices.addObject().put("name", name + "-" + address.toString().replaceAll("[^0-9a-f]", ""))
              .put("deviceName", KubevirtExport.RESOURCE_PREFIX
                  + String.format("%04x_%04x", function.vendorId(), function.deviceId()));
        });
      } else {
        ObjectNode iface = interfaces.addObject().put("name", name);
        nic.mac().ifPresent(mac -> iface.put("macAddress", mac.toString()));
        if (!podUsed) {
          podUsed = true;
          iface.putObject("masquerade");
          networks.addObject().put("name", name).putObject("pod");
        } else {
          iface.putObject("bridge");
          networks.addObject().put("name", name).putObject("multus").put("networkName", "nio-virt-" + name);
        }
      }
    }
    return vmi;
  }

  /** The VMI as YAML after one comment per NIC with its technology and reason. */
  public static String render(GuestNetworkPlan plan, HostInventory inventory, int memoryMiB) {
    StringBuilder out = new StringBuilder("# Written by nio-virt export --to kubevirt-vmi for guest "
        + Printable.escape(plan.guestName()) + "\n");
    for (NicAssignment nic : plan.assignments()) {
      out.append("# nic").append(nic.nicIndex()).append(": ").append(nic.technology().id().toLowerCase(Locale.ROOT))
          .append(" - ").append(Printable.escape(nic.reason()).replace('\n', ' ')).append('\n');
    }
    try {
      return out.append(YAML.writeValueAsString(vmi(plan, inventory, memoryMiB)).replaceFirst("^---\n", "")).toString();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
