package org.niovirt.api.model;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.immutables.value.Value;

/** Everything the planner knows about one host, as detected at one moment. */
@Value.Immutable
public abstract class HostInventory {
  /** Where it was read from: {@code /} for this host, or a captured tree. */
  @Value.Default
  public String source() {
    return "/";
  }

  public abstract List<NetworkCard> cards();

  public abstract IommuState iommu();

  /** Interfaces that carry the default route: never assigned to a guest. */
  public abstract Set<String> managementInterfaces();

  /**
   * Why the management NIC cannot be known (the route table is missing, unreadable or damaged);
   * empty when the default route was read. Unknown means careful: every function whose netdev may
   * carry traffic then counts as management ({@link #managementFunctions()}).
   */
  public abstract Optional<String> managementUnknownBecause();

  /** {@code /dev/vhost-net} exists: virtio can use the in-kernel data path. */
  @Value.Default
  public boolean vhostNetAvailable() {
    return false;
  }

  public abstract List<Diagnostic> diagnostics();

  /** Every port function of every card. */
  public Stream<NetworkFunction> functions() {
    return cards().stream().flatMap(c -> c.ports().stream());
  }

  public Optional<NetworkFunction> function(PciAddress address) {
    return Optional.ofNullable(functionsByAddress().get(address));
  }

  /**
   * Port functions that can have VFs (an SR-IOV capability with {@code sriov_totalvfs} above 0,
   * or VFs already), by address: listed once, since an SR-IOV planner ranks them for every NIC.
   */
  @Value.Lazy
  public List<NetworkFunction> sriovFunctions() {
    return functionsByAddress().values().stream()
        .filter(f -> f.sriov().filter(SriovCapability::providesVfs).isPresent())
        .collect(Collectors.toUnmodifiableList());
  }

  /** Port functions by address, built once (planning looks functions up per NIC). */
  @Value.Lazy
  public Map<PciAddress, NetworkFunction> functionsByAddress() {
    Map<PciAddress, NetworkFunction> byAddress = new LinkedHashMap<>();
    functions().forEach(f -> byAddress.putIfAbsent(f.address(), f));
    return Collections.unmodifiableMap(byAddress);
  }

  /** The PF that has, or could create, a VF at {@code address}; empty for other addresses. */
  public Optional<NetworkFunction> physicalFunctionOf(PciAddress address) {
    return Optional.ofNullable(physicalFunctionsByVf().get(address));
  }

  @Value.Lazy
  protected Map<PciAddress, NetworkFunction> physicalFunctionsByVf() {
    Map<PciAddress, NetworkFunction> byVf = new HashMap<>();
    functions().forEach(f -> f.sriov().ifPresent(
        s -> s.allVfAddresses().forEach(vf -> byVf.putIfAbsent(vf, f))));
    return Collections.unmodifiableMap(byVf);
  }

  /**
   * What on this host already carries {@code mac}: a port's netdev or a VF (its netdev's address;
   * a VF whose last guest left its MAC behind shows it too). A guest NIC given the same MAC would
   * clash with it on the wire.
   */
  public Optional<String> macCarrier(MacAddress mac) {
    return Optional.ofNullable(macCarriers().get(mac));
  }

  @Value.Lazy
  protected Map<MacAddress, String> macCarriers() {
    Map<MacAddress, String> carriers = new HashMap<>();
    functions().forEach(f -> {
      f.netdevs().forEach(n -> n.mac().ifPresent(mac -> carriers.putIfAbsent(mac,
          "netdev " + n.name() + " of " + f.address())));
      f.sriov().ifPresent(s -> s.vfs().forEach(vf -> {
        vf.mac().ifPresent(mac -> carriers.putIfAbsent(mac,
            "VF " + vf.index() + " of " + f.address() + " (" + vf.address() + ")"));
        // Set through the PF by an earlier owner: a second VF with it would duplicate the MAC.
        vf.admin().flatMap(VfAdminState::mac).ifPresent(mac -> carriers.putIfAbsent(mac,
            "VF " + vf.index() + " of " + f.address() + " (" + vf.address()
                + ") as its administrative MAC, set through the PF"));
      }));
    });
    return Collections.unmodifiableMap(carriers);
  }

  /**
   * The VF of PF {@code pf} that is a management function, if one is (the first by address):
   * indexed once, since providers ask it for every PF and every NIC of a batch.
   */
  public Optional<PciAddress> managementVfOf(PciAddress pf) {
    return Optional.ofNullable(managementVfByPf().get(pf));
  }

  @Value.Lazy
  protected Map<PciAddress, PciAddress> managementVfByPf() {
    Map<PciAddress, PciAddress> byPf = new HashMap<>();
    managementFunctions().stream().sorted().forEach(management -> physicalFunctionOf(management)
        .ifPresent(pf -> byPf.putIfAbsent(pf.address(), management)));
    return Collections.unmodifiableMap(byPf);
  }

  /** Every address the inventory names: port functions, existing VFs and VFs that can be created. */
  @Value.Lazy
  public Set<PciAddress> knownAddresses() {
    return functions()
        .flatMap(f -> Stream.concat(
            Stream.of(f.address()),
            f.sriov().stream().flatMap(s -> Stream.concat(
                s.vfs().stream().map(VirtualFunction::address),
                s.creatableVfAddresses().stream()))))
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Functions a guest must never get: those with a management netdev, port or VF. When the
   * management NIC is unknown, also every port whose netdev may be up and every VF that has a
   * host netdev, since any of them could be the host's way out.
   */
  @Value.Lazy
  public Set<PciAddress> managementFunctions() {
    boolean unknown = managementUnknownBecause().isPresent();
    Stream<PciAddress> ports = functions()
        .filter(f -> f.isManagement()
            || f.netdevs().stream().anyMatch(n -> managementInterfaces().contains(n.name())
                || (unknown && n.operState().mayCarryTraffic())))
        .map(NetworkFunction::address);
    Stream<PciAddress> vfs = functions()
        .flatMap(f -> f.sriov().stream())
        .flatMap(s -> s.vfs().stream())
        .filter(vf -> vf.management()
            || vf.netdev().filter(n -> unknown || managementInterfaces().contains(n)).isPresent())
        .map(VirtualFunction::address);
    return Stream.concat(ports, vfs).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Why the functions of {@link #managementFunctions()} are kept from guests, in words that follow
   * "is the host's management NIC" (the same for all of them: it depends on the route table).
   */
  public String managementReason() {
    return managementUnknownBecause()
        .map(why -> "(perhaps: " + why + ", so the default route is unknown and its netdev may"
            + " carry the host's traffic)")
        .orElse("(it carries the default route)");
  }

  /** Like {@link #managementReason} but empty when the default route is known. */
  public String managementCaveat() {
    return managementUnknownBecause().isPresent() ? " " + managementReason() : "";
  }

  public static ImmutableHostInventory.Builder builder() {
    return ImmutableHostInventory.builder();
  }
}
