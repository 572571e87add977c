package org.niovirt.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.niovirt.api.model.Diagnostic;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuGroup;
import org.niovirt.api.model.IommuGroupMember;
import org.niovirt.api.model.IommuState;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkCard;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.VfAdminState;
import org.niovirt.api.model.VirtualFunction;

/**
 * The inventory as JSON with stable field names, written field by field (not by reflection) so
 * that renaming a Java method never changes the output. The fields are documented in
 * {@code nio-virt-detect/INVENTORY-JSON.md}; absent values are {@code null}, never left out.
 */
public final class InventoryJson {
  /** Raised when a field is renamed or removed; adding a field keeps the version. */
  public static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private InventoryJson() {}

  public static ObjectNode toJson(HostInventory inventory) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("source", inventory.source());
    strings(root.putArray("managementInterfaces"), inventory.managementInterfaces());
    inventory.managementUnknownBecause().ifPresentOrElse(
        why -> root.put("managementUnknownBecause", why), () -> root.putNull("managementUnknownBecause"));
    strings(root.putArray("managementFunctions"),
        inventory.managementFunctions().stream().sorted().map(Object::toString)
            .collect(Collectors.toList()));
    root.put("vhostNetAvailable", inventory.vhostNetAvailable());
    ArrayNode cards = root.putArray("cards");
    for (NetworkCard card : inventory.cards()) {
      ObjectNode node = cards.addObject();
      node.put("slot", card.slotId());
      node.put("portCount", card.portCount());
      ArrayNode ports = node.putArray("ports");
      card.ports().forEach(port -> function(ports.addObject(), port));
    }
    iommu(root.putObject("iommu"), inventory.iommu());
    diagnostics(root.putArray("diagnostics"), inventory.diagnostics());
    return root;
  }

  /** Indented JSON text. */
  public static String toJsonText(HostInventory inventory) {
    try {
      return MAPPER.writeValueAsString(toJson(inventory));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private static void function(ObjectNode node, NetworkFunction function) {
    node.put("address", function.address().toString());
    node.put("classCode", hex(function.classCode(), 6));
    node.put("networkClass", function.networkClass().name());
    node.put("vendorId", hex(function.vendorId(), 4));
    node.put("deviceId", hex(function.deviceId(), 4));
    put(node, "vendorName", function.vendorName());
    put(node, "deviceName", function.deviceName());
    put(node, "driver", function.driver());
    put(node, "numaNode", function.numaNode());
    if (function.pcieLink().isPresent()) {
      ObjectNode link = node.putObject("pcieLink");
      link.put("speed", function.pcieLink().get().speed());
      link.put("width", function.pcieLink().get().width());
    } else {
      node.putNull("pcieLink");
    }
    put(node, "iommuGroup", function.iommuGroup());
    node.put("management", function.isManagement());
    ArrayNode netdevs = node.putArray("netdevs");
    for (NetDev netdev : function.netdevs()) {
      ObjectNode n = netdevs.addObject();
      n.put("name", netdev.name());
      put(n, "mac", netdev.mac());
      n.put("operState", netdev.operState().name());
      put(n, "speedMbps", netdev.speedMbps());
      n.put("devPort", netdev.devPort());
      put(n, "physPortName", netdev.physPortName());
      n.put("management", netdev.management());
    }
    if (function.sriov().isPresent()) {
      sriov(node.putObject("sriov"), function.sriov().get());
    } else {
      node.putNull("sriov");
    }
    strings(node.putArray("diagnostics"), function.diagnostics());
  }

  private static void sriov(ObjectNode node, SriovCapability sriov) {
    node.put("totalVfs", sriov.totalVfs());
    node.put("numVfs", sriov.numVfs());
    if (sriov.vfDeviceId().isPresent()) {
      node.put("vfDeviceId", hex(sriov.vfDeviceId().getAsInt(), 4));
    } else {
      node.putNull("vfDeviceId");
    }
    if (sriov.layoutKnown()) {
      node.put("offset", sriov.offset());
      node.put("stride", sriov.stride());
    } else {
      node.putNull("offset");
      node.putNull("stride");
    }
    ArrayNode vfs = node.putArray("vfs");
    for (VirtualFunction vf : sriov.vfs()) {
      ObjectNode v = vfs.addObject();
      v.put("index", vf.index());
      v.put("address", vf.address().toString());
      put(v, "driver", vf.driver());
      put(v, "netdev", vf.netdev());
      put(v, "mac", vf.mac());
      put(v, "iommuGroup", vf.iommuGroup());
      v.put("management", vf.management());
      if (vf.netdev().isPresent()) {
        v.put("netdevState", vf.netdevState().name().toLowerCase(java.util.Locale.ROOT));
      } else {
        v.putNull("netdevState");
      }
      v.put("netdevRouted", vf.netdevRouted());
      ArrayNode resets = v.putArray("resetMethods");
      vf.resetMethods().forEach(resets::add);
      if (vf.admin().isEmpty()) {
        v.putNull("admin");
      } else {
        VfAdminState admin = vf.admin().get();
        ObjectNode a = v.putObject("admin");
        put(a, "mac", admin.mac());
        a.put("vlan", admin.vlan());
        putBoolean(a, "spoofCheck", admin.spoofCheck());
        putBoolean(a, "trust", admin.trust());
        put(a, "linkState", admin.linkState());
      }
    }
    ArrayNode creatable = node.putArray("creatableVfAddresses");
    sriov.creatableVfAddresses().forEach(a -> creatable.add(a.toString()));
  }

  private static void iommu(ObjectNode node, IommuState iommu) {
    node.put("vendor", iommu.vendor().name());
    node.put("present", iommu.present());
    node.put("enabled", iommu.enabled());
    node.put("acpiTableReadable", iommu.acpiTableReadable().name());
    strings(node.putArray("units"), iommu.units());
    node.put("kernelCommandLine", iommu.kernelCommandLine());
    strings(node.putArray("kernelParameters"), iommu.kernelParameters());
    node.put("passthroughMode", iommu.passthroughMode());
    node.put("interruptRemapping", iommu.interruptRemapping().name());
    node.put("interruptRemappingSupported", iommu.interruptRemappingSupported().name());
    node.put("allowUnsafeInterrupts", iommu.allowUnsafeInterrupts());
    ArrayNode groups = node.putArray("groups");
    for (IommuGroup group : iommu.groups()) {
      ObjectNode g = groups.addObject();
      g.put("id", group.id());
      g.put("viable", group.viable());
      ArrayNode members = g.putArray("members");
      for (IommuGroupMember member : group.members()) {
        ObjectNode m = members.addObject();
        m.put("address", member.address().toString());
        m.put("classCode", hex(member.classCode(), 6));
        put(m, "driver", member.driver());
        m.put("bridge", member.isBridge());
        m.put("complete", member.complete());
        m.put("allowsAssignment", member.allowsAssignment());
      }
    }
  }

  private static void diagnostics(ArrayNode array, Collection<Diagnostic> diagnostics) {
    for (Diagnostic diagnostic : diagnostics) {
      ObjectNode d = array.addObject();
      d.put("subject", diagnostic.subject());
      d.put("message", diagnostic.message());
    }
  }

  private static void strings(ArrayNode array, Collection<String> values) {
    values.forEach(array::add);
  }

  private static String hex(int value, int digits) {
    return String.format("0x%0" + digits + "x", value);
  }

  private static void put(ObjectNode node, String field, Optional<?> value) {
    if (value.isPresent()) {
      node.put(field, value.get().toString());
    } else {
      node.putNull(field);
    }
  }

  private static void putBoolean(ObjectNode node, String field, Optional<Boolean> value) {
    if (value.isPresent()) {
      node.put(field, value.get().booleanValue());
    } else {
      node.putNull(field);
    }
  }

  private static void put(ObjectNode node, String field, OptionalInt value) {
    if (value.isPresent()) {
      node.put(field, value.getAsInt());
    } else {
      node.putNull(field);
    }
  }
}
