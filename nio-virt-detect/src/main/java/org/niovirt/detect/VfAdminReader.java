package org.niovirt.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.ImmutableNetworkFunction;
import org.niovirt.api.model.ImmutableSriovCapability;
import org.niovirt.api.model.ImmutableVirtualFunction;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.VfAdminState;
import org.niovirt.api.model.VirtualFunction;

/**
 * Gives each VF what its PF reports over netlink ({@code ip -j link show}: {@code vfinfo_list} of
 * the PF's netdev, by VF index) and whether the VF's own netdev has a route on the host. iproute2
 * has written the MAC as {@code address} (with {@code link_type}) since 4.19 and as {@code mac}
 * before; the VLAN as {@code vlan_list} when the driver reports one, else as {@code vlan}.
 */
final class VfAdminReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private VfAdminReader() {}

  /** VF admin states by PF netdev name, then VF index; problems name the netdev and VF. */
  static Map<String, Map<Integer, VfAdminState>> parse(String json, AttributeReader problems) {
    Map<String, Map<Integer, VfAdminState>> byNetdev = new HashMap<>();
    JsonNode links;
    try {
      links = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      problems.problem(NetlinkLinkSource.PATH + ": not JSON (" + e.getOriginalMessage() + ")");
      return byNetdev;
    }
    if (links == null || !links.isArray()) {
      problems.problem(NetlinkLinkSource.PATH + ": expected the JSON array of 'ip -j link show'");
      return byNetdev;
    }
    for (JsonNode link : links) {
      JsonNode vfs = link.path("vfinfo_list");
      String ifname = link.path("ifname").asText("");
      if (!vfs.isArray() || ifname.isEmpty()) {
        continue;
      }
      Map<Integer, VfAdminState> states = new HashMap<>();
      for (JsonNode vf : vfs) {
        if (!vf.path("vf").canConvertToInt()) {
          problems.problem(NetlinkLinkSource.PATH + ": " + ifname + ": a VF entry without its index 'vf'");
          continue;
        }
        int index = vf.path("vf").asInt();
        try {
          states.put(index, state(vf));
        } catch (InvalidInputException | IllegalArgumentException e) {
          problems.problem(NetlinkLinkSource.PATH + ": " + ifname + " vf " + index + ": " + e.getMessage());
        }
      }
      byNetdev.put(ifname, states);
    }
    return byNetdev;
  }

  private static VfAdminState state(JsonNode vf) {
    JsonNode address = vf.has("address") ? vf.get("address") : vf.path("mac");
    int vlan = vf.path("vlan").asInt(0);
    for (JsonNode entry : vf.path("vlan_list")) {
      vlan = Math.max(vlan, entry.path("vlan").asInt(0));
    }
    return new VfAdminState(VfAdminState.adminMac(address.asText(null)), vlan,
        bool(vf, "spoofchk"), bool(vf, "trust"),
        vf.hasNonNull("link_state") ? Optional.of(vf.get("link_state").asText()) : Optional.empty());
  }

  private static Optional<Boolean> bool(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isBoolean() ? Optional.of(value.booleanValue()) : Optional.empty();
  }

  /**
   * The functions with each VF's admin state (from the PF netdev that reports it) and route
   * flag; functions without VFs are returned as they are.
   */
  static List<NetworkFunction> attach(List<NetworkFunction> functions,
      Map<String, Map<Integer, VfAdminState>> adminByNetdev, Set<String> routedInterfaces) {
    List<NetworkFunction> result = new ArrayList<>(functions.size());
    for (NetworkFunction function : functions) {
      Optional<SriovCapability> sriov = function.sriov().filter(s -> !s.vfs().isEmpty());
      if (sriov.isEmpty()) {
        result.add(function);
        continue;
      }
      Map<Integer, VfAdminState> admin = function.netdevs().stream().map(NetDev::name)
          .filter(adminByNetdev::containsKey).findFirst().map(adminByNetdev::get).orElse(Map.of());
      List<VirtualFunction> vfs = new ArrayList<>(sriov.get().vfs().size());
      for (VirtualFunction vf : sriov.get().vfs()) {
        vfs.add(ImmutableVirtualFunction.copyOf(vf)
            .withAdmin(Optional.ofNullable(admin.get(vf.index())))
            .withNetdevRouted(vf.netdev().filter(routedInterfaces::contains).isPresent()));
      }
      result.add(ImmutableNetworkFunction.copyOf(function)
          .withSriov(ImmutableSriovCapability.copyOf(sriov.get()).withVfs(vfs)));
    }
    return result;
  }
}
