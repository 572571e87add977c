package org.niovirt.cli.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuGroup;
import org.niovirt.api.model.IommuGroupMember;
import org.niovirt.api.model.IommuState;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkCard;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.VirtualFunction;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.Verdict;
import org.niovirt.cli.common.ConnectionInfo;
import org.niovirt.libvirt.xml.DomainNic;

/**
 * The picture the page draws, as JSON ({@code /api/view} and every server-sent event): the
 * inventory joined with who holds what. The page only lays it out; every fact comes from here.
 */
final class HostView {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final HostInventory inventory;
  private final DeviceUsage usage;
  private final List<GuestView> guests;
  /** device -> (domain, index of the domain's NIC that holds it) */
  private final Map<PciAddress, Holder> holders = new HashMap<>();

  private record Holder(String domain, int nicIndex) {}

  HostView(HostInventory inventory, DeviceUsage usage, List<GuestView> guests) {
    this.inventory = inventory;
    this.usage = usage;
    this.guests = guests;
    usage.holders().forEach((device, domain) -> holders.put(device, new Holder(domain, 0)));
    for (GuestView guest : guests) {
      for (DomainNic nic : guest.nics()) {
        for (PciAddress device : nic.devices()) {
          holders.put(device, new Holder(guest.name(), nic.index()));
        }
      }
    }
  }

  /** Everything but the generation stamp, so that two views can be compared for change. */
  ObjectNode toJson(ConnectionInfo connection, boolean actionsEnabled) {
    ObjectNode view = JSON.objectNode();
    ObjectNode host = view.putObject("host");
    host.put("source", inventory.source());
    host.put("vhostNet", inventory.vhostNetAvailable());
    ObjectNode link = view.putObject("connection");
    link.put("uri", connection.uri());
    link.put("testDriver", connection.testDriver());
    link.put("note", connection.note());
    view.putObject("actions").put("enabled", actionsEnabled);
    view.set("iommu", iommu(inventory.iommu()));
    ArrayNode cards = view.putArray("cards");
    inventory.cards().forEach(card -> cards.add(card(card)));
    ArrayNode domains = view.putArray("domains");
    guests.forEach(guest -> domains.add(guest(guest)));
    ArrayNode elsewhere = view.putArray("heldElsewhere");
    new TreeMap<>(usage.holders()).forEach((device, domain) -> {
      if (!inventory.knownAddresses().contains(device)) {
        elsewhere.addObject().put("address", device.toString()).put("holder", domain);
      }
    });
    view.set("newGuest", HostAdvice.forNewGuest(inventory, usage));
    ArrayNode diagnostics = view.putArray("diagnostics");
    inventory.diagnostics().forEach(d ->
        diagnostics.addObject().put("subject", d.subject()).put("message", d.message()));
    inventory.functions().forEach(f -> f.diagnostics().forEach(message ->
        diagnostics.addObject().put("subject", f.address().toString()).put("message", message)));
    return view;
  }

  private ObjectNode iommu(IommuState state) {
    ObjectNode node = JSON.objectNode();
    node.put("vendor", state.vendor().name());
    node.put("present", state.present());
    node.put("enabled", state.enabled());
    node.put("interruptRemapping", state.interruptRemapping().name());
    node.put("passthroughMode", state.passthroughMode());
    ArrayNode units = node.putArray("units");
    state.units().forEach(units::add);
    ArrayNode groups = node.putArray("groups");
    Set<PciAddress> networkFunctions = networkAddresses();
    for (IommuGroup group : state.groups()) {
      // Groups without a network function are noise on a NIC dashboard.
      if (group.members().stream().noneMatch(m -> networkFunctions.contains(m.address()))) {
        continue;
      }
      ObjectNode g = groups.addObject();
      g.put("id", group.id());
      g.put("viable", group.viable());
      ArrayNode members = g.putArray("members");
      for (IommuGroupMember member : group.members()) {
        ObjectNode m = members.addObject();
        m.put("address", member.address().toString());
        putOptional(m, "driver", member.driver());
        m.put("bridge", member.isBridge());
        ArrayNode netdevs = m.putArray("netdevs");
        netdevsOf(member.address()).forEach(netdevs::add);
        putHolder(m, member.address());
      }
    }
    return node;
  }

  private ObjectNode card(NetworkCard card) {
    ObjectNode node = JSON.objectNode();
    node.put("slot", card.slotId());
    NetworkFunction first = card.ports().get(0);
    node.put("name", first.displayName());
    first.pcieLink().ifPresentOrElse(
        l -> node.put("pcieLink", l.speed() + " x" + l.width()), () -> node.putNull("pcieLink"));
    ArrayNode ports = node.putArray("ports");
    card.ports().forEach(port -> ports.add(port(port)));
    return node;
  }

  private ObjectNode port(NetworkFunction port) {
    ObjectNode node = JSON.objectNode();
    node.put("address", port.address().toString());
    node.put("name", port.displayName());
    putOptional(node, "driver", port.driver());
    putOptional(node, "numaNode", port.numaNode());
    putOptional(node, "iommuGroup", port.iommuGroup());
    node.put("groupViable", port.iommuGroup().isPresent()
        && inventory.iommu().group(port.iommuGroup().getAsInt()).map(IommuGroup::viable).orElse(false));
    node.put("management", inventory.managementFunctions().contains(port.address()));
    ArrayNode netdevs = node.putArray("netdevs");
    for (NetDev netdev : port.netdevs()) {
      ObjectNode n = netdevs.addObject();
      n.put("name", netdev.name());
      putOptional(n, "mac", netdev.mac().map(Object::toString));
      n.put("operState", netdev.operState().name());
      putOptional(n, "speedMbps", netdev.speedMbps());
    }
    putHolder(node, port.address());
    port.sriov().ifPresentOrElse(s -> node.set("sriov", sriov(s)), () -> node.putNull("sriov"));
    return node;
  }

  private ObjectNode sriov(SriovCapability sriov) {
    ObjectNode node = JSON.objectNode();
    node.put("totalVfs", sriov.totalVfs());
    node.put("numVfs", sriov.numVfs());
    ArrayNode vfs = node.putArray("vfs");
    Set<PciAddress> existing = new HashSet<>();
    for (VirtualFunction vf : sriov.vfs()) {
      existing.add(vf.address());
      ObjectNode v = vfs.addObject();
      v.put("index", vf.index());
      v.put("address", vf.address().toString());
      v.put("exists", true);
      putOptional(v, "driver", vf.driver());
      putOptional(v, "netdev", vf.netdev());
      putOptional(v, "iommuGroup", vf.iommuGroup());
      v.put("management", vf.management());
      putHolder(v, vf.address());
    }
    // VFs that raising sriov_numvfs would create: drawn as empty slots.
    for (int index = sriov.numVfs(); sriov.layoutKnown() && index < sriov.totalVfs(); index++) {
      PciAddress address = sriov.vfAddress(index);
      if (existing.contains(address)) {
        continue;
      }
      ObjectNode v = vfs.addObject();
      v.put("index", index);
      v.put("address", address.toString());
      v.put("exists", false);
      v.putNull("driver");
      v.putNull("netdev");
      v.putNull("iommuGroup");
      v.put("management", false);
      putHolder(v, address);
    }
    return node;
  }

  private ObjectNode guest(GuestView guest) {
    ObjectNode node = JSON.objectNode();
    node.put("name", guest.name());
    node.put("state", guest.state());
    node.put("active", guest.active());
    node.put("vcpus", guest.vcpus());
    node.put("memoryMiB", guest.memoryMiB());
    ArrayNode cannotStart = node.putArray("cannotStart");
    guest.cannotStart().forEach(cannotStart::add);
    ArrayNode nics = node.putArray("nics");
    for (DomainNic nic : guest.nics()) {
      ObjectNode n = nics.addObject();
      n.put("index", nic.index());
      n.put("technology", nic.technology());
      ArrayNode devices = n.putArray("devices");
      nic.devices().forEach(d -> devices.add(d.toString()));
      putOptional(n, "mac", nic.mac());
      putOptional(n, "attachment", nic.attachment());
      putOptional(n, "reason", nic.reason());
      ArrayNode verdicts = n.putArray("verdicts");
      for (Verdict verdict : nic.verdicts()) {
        verdicts.addObject()
            .put("technology", verdict.technology().id())
            .put("outcome", verdict.outcome().toString())
            .put("reason", verdict.reason());
      }
    }
    return node;
  }

  private void putHolder(ObjectNode node, PciAddress address) {
    Holder holder = holders.get(address);
    if (holder == null) {
      node.putNull("heldBy");
      node.putNull("heldByNic");
    } else {
      node.put("heldBy", holder.domain());
      node.put("heldByNic", holder.nicIndex());
    }
  }

  private Set<PciAddress> networkAddresses() {
    Set<PciAddress> all = new HashSet<>();
    inventory.functions().forEach(f -> {
      all.add(f.address());
      f.sriov().ifPresent(s -> s.vfs().forEach(vf -> all.add(vf.address())));
    });
    return all;
  }

  private List<String> netdevsOf(PciAddress address) {
    Optional<NetworkFunction> function = inventory.function(address);
    if (function.isPresent()) {
      return function.get().netdevs().stream().map(NetDev::name).toList();
    }
    return inventory.functions().flatMap(f -> f.sriov().stream()).flatMap(s -> s.vfs().stream())
        .filter(vf -> vf.address().equals(address))
        .flatMap(vf -> vf.netdev().stream())
        .toList();
  }

  private static void putOptional(ObjectNode node, String field, Optional<String> value) {
    value.ifPresentOrElse(v -> node.put(field, v), () -> node.putNull(field));
  }

  private static void putOptional(ObjectNode node, String field, OptionalInt value) {
    value.ifPresentOrElse(v -> node.put(field, v), () -> node.putNull(field));
  }
}
