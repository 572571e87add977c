package org.niovirt.planner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.niovirt.api.fixtures.Contexts;
import org.niovirt.api.fixtures.SyntheticHosts;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuVendor;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.OperState;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.Tristate;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.Verdict;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.ImmutableNicRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.api.request.Technology;

/**
 * The generated worlds of {@link PlannerPropertiesTest}: SR-IOV PFs with and without drivers and
 * VFs, multi-port cards sharing an IOMMU group, devices the host uses in a group, IOMMU and
 * interrupt-remapping states, devices that defined domains hold, policies, and batches of guests.
 */
final class PlannerScenarios {
  private PlannerScenarios() {}

  /** An SR-IOV PF as generated: counts, stride, driver, NUMA node, link and role. */
  record PfSpec(int totalVfs, int numVfs, int stride, String driver, int numa, boolean linkUp,
      boolean management, boolean managementVf) {}

  /** A card whose ports share one IOMMU group, maybe with another device the host uses. */
  record CardSpec(int ports, String otherMemberDriver, boolean otherMember) {}

  static Arbitrary<HostInventory> hosts() {
    Arbitrary<IommuVendor> vendor = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.just(IommuVendor.INTEL_VTD)),
        Tuple.of(1, Arbitraries.just(IommuVendor.AMD_VI)),
        Tuple.of(1, Arbitraries.just(IommuVendor.NONE)));
    Arbitrary<Tristate> remapping = Arbitraries.frequency(
        Tuple.of(6, Tristate.YES), Tuple.of(2, Tristate.NO),
        Tuple.of(1, Tristate.UNKNOWN));
    Arbitrary<PfSpec> pf = Combinators.combine(
            Arbitraries.integers().between(0, 6),
            Arbitraries.integers().between(0, 6),
            Arbitraries.of(1, 2),
            Arbitraries.frequency(Tuple.of(6, "ixgbe"),
                Tuple.of(1, "none"), Tuple.of(1, "vfio-pci")),
            Arbitraries.of(0, 1),
            Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false)),
            Arbitraries.frequency(Tuple.of(6, false), Tuple.of(1, true)),
            Arbitraries.frequency(Tuple.of(2, false), Tuple.of(1, true)))
        .as((total, num, stride, driver, numa, up, management, managementVf) ->
            new PfSpec(total, Math.min(num, total), stride, driver, numa, up, management,
                managementVf));
    Arbitrary<CardSpec> card = Combinators.combine(
            Arbitraries.integers().between(1, 3),
            Arbitraries.of("ahci", "vfio-pci", "none"),
            Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true)))
        .as(CardSpec::new);
    return Combinators.combine(vendor,
            Arbitraries.frequency(Tuple.of(5, true), Tuple.of(1, false)),
            remapping, Arbitraries.of(true, false), pf.list().ofMaxSize(3),
            card.list().ofMaxSize(2))
        .as(PlannerScenarios::host);
  }

  private static HostInventory host(IommuVendor vendor, boolean enabled, Tristate remapping,
      boolean vfioUnsafe, List<PfSpec> pfs, List<CardSpec> cards) {
    SyntheticHosts.Builder host = SyntheticHosts.host(vendor, remapping)
        .allowUnsafeInterrupts(vfioUnsafe).function(SyntheticHosts.managementNic());
    if (!enabled) {
      host.iommuDisabled();
    }
    for (int i = 0; i < pfs.size(); i++) {
      PfSpec spec = pfs.get(i);
      String netdev = "enp" + (0x10 + i) + "s0";
      NetworkFunction pf = SyntheticHosts.sriovPf(String.format("0000:%02x:00.0", 0x10 + i),
          spec.driver().equals("none") ? null : spec.driver(), netdev, 10 + i, spec.totalVfs(),
          spec.numVfs(), spec.stride(), spec.numa(), 100 + 16 * i);
      NetDev link = NetDev.builder().from(pf.netdevs().get(0))
          .operState(spec.linkUp() ? OperState.UP : OperState.DOWN)
          .management(spec.management()).build();
      host.function(NetworkFunction.builder().from(pf).netdevs(List.of(link)).build());
    }
    for (int j = 0; j < cards.size(); j++) {
      CardSpec spec = cards.get(j);
      for (int port = 0; port < spec.ports(); port++) {
        host.function(SyntheticHosts.port(String.format("0000:%02x:00.%d", 0x20 + j, port),
            "e1000e", "enp" + (0x20 + j) + "s0f" + port, 50 + j));
      }
      if (spec.otherMember()) {
        host.member(50 + j, "0000:00:1f." + j, 0x010601,
            spec.otherMemberDriver().equals("none") ? null : spec.otherMemberDriver());
      }
    }
    HostInventory built = host.build();
    for (int i = 0; i < pfs.size(); i++) {
      if (pfs.get(i).managementVf() && pfs.get(i).numVfs() > 0) {
        // The host's own uplink may be a VF of one of its PFs.
        built = Contexts.withManagementVf(built, built.function(PciAddress.of(0, 0x10 + i, 0, 0))
            .flatMap(NetworkFunction::sriov).orElseThrow().vfs().get(0).address());
      }
    }
    return built;
  }

  /** Some of the host's devices (never the management NIC) held by defined domains. */
  static Arbitrary<DeviceUsage> usages(HostInventory host) {
    List<PciAddress> holdable = new ArrayList<>(host.knownAddresses());
    holdable.removeAll(host.managementFunctions());
    holdable.sort(null);
    if (holdable.isEmpty()) {
      return Arbitraries.just(DeviceUsage.empty());
    }
    return Arbitraries.subsetOf(holdable).map(held -> {
      Map<PciAddress, String> holders = new LinkedHashMap<>();
      int n = 0;
      for (PciAddress device : held) {
        if (n++ % 3 == 0) {
          holders.put(device, "defined" + n);
        }
      }
      return DeviceUsage.of(holders);
    });
  }

  static Arbitrary<PlannerPolicy> policies() {
    Arbitrary<List<Technology>> order = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.just(List.of(Technology.values()))),
        Tuple.of(3, Arbitraries.of(Technology.values()).list().uniqueElements()
            .ofMinSize(1).ofMaxSize(3)));
    return Combinators.combine(order, Arbitraries.of(true, false), Arbitraries.of(true, false),
            Arbitraries.integers().between(1, 8))
        .as((o, wholeGroups, unsafe, queues) -> PlannerPolicy.builder().order(o)
            .takeWholeIommuGroups(wholeGroups).allowUnsafeInterrupts(unsafe)
            .maxVirtioQueues(queues).build());
  }

  static Arbitrary<List<GuestNetworkRequest>> batches(HostInventory host) {
    List<PciAddress> devices = new ArrayList<>(host.knownAddresses());
    devices.sort(null);
    Arbitrary<Optional<PciAddress>> hostDevice = Arbitraries.frequencyOf(
        Tuple.of(10, Arbitraries.just(Optional.<PciAddress>empty())),
        Tuple.of(1, Arbitraries.of(devices).map(Optional::of)));
    Arbitrary<Optional<Technology>> pinned = Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.just(Optional.<Technology>empty())),
        Tuple.of(1, Arbitraries.of(Technology.values()).map(Optional::of)));
    Arbitrary<Optional<Technology>> excluded = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.just(Optional.<Technology>empty())),
        Tuple.of(1, Arbitraries.of(Technology.values()).map(Optional::of)));
    Arbitrary<Optional<Integer>> numa = Arbitraries.integers().between(0, 2).optional();
    Arbitrary<Optional<Integer>> vlan = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just(Optional.<Integer>empty())),
        Tuple.of(1, Arbitraries.integers().between(1, 4094).map(Optional::of)));
    Arbitrary<Boolean> migrate = Arbitraries.frequency(
        Tuple.of(8, false), Tuple.of(1, true));
    Arbitrary<NicRequest> nic = Combinators.combine(Arbitraries.integers().between(1, 3),
            pinned, excluded, numa, vlan, migrate, hostDevice)
        .as((count, pin, exclude, node, tag, migration, device) -> {
          ImmutableNicRequest.Builder b = NicRequest.builder().count(count);
          if (migration) {
            b.liveMigration(true);
          } else {
            pin.ifPresent(b::pinned);
            exclude.filter(t -> pin.isEmpty() || pin.get() != t).ifPresent(b::addExcluded);
          }
          node.ifPresent(b::numaNode);
          tag.ifPresent(b::vlan);
          device.ifPresent(b::hostDevice);
          return b.build();
        });
    return nic.list().ofMinSize(1).ofMaxSize(2).list().ofMinSize(1).ofMaxSize(4)
        .map(guests -> {
          List<GuestNetworkRequest> batch = new ArrayList<>();
          for (int g = 0; g < guests.size(); g++) {
            batch.add(GuestNetworkRequest.builder().guestName("guest" + g).vcpus(1 + g)
                .nics(guests.get(g)).build());
          }
          return batch;
        });
  }
}
