package org.niovirt.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.error.PlanningException;
import org.niovirt.api.fixtures.SyntheticHosts;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.HostAction;
import org.niovirt.api.plan.LinkUp;
import org.niovirt.api.plan.NicExplanation;
import org.niovirt.api.plan.SetNumVfs;
import org.niovirt.api.plan.SriovNic;
import org.niovirt.api.plan.Verdict;
import org.niovirt.api.plan.Verdict.Outcome;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.api.request.Technology;

/**
 * Properties of the planner with the three real providers over generated hosts (SR-IOV PFs with
 * and without drivers and VFs, multi-port cards sharing an IOMMU group, devices the host uses in a
 * group, IOMMU and interrupt-remapping states), devices that defined domains hold, policies, and
 * batches of guests with pins, exclusions, NUMA nodes, VLANs, host devices and live migration.
 */
class PlannerPropertiesTest {

  /** A generated world: a host, what defined domains hold, the host policy and one batch. */
  record Scenario(HostInventory host, DeviceUsage usage, PlannerPolicy policy,
      List<GuestNetworkRequest> batch) {

    /** The plans, or empty when the planner said no with a PlanningException. */
    Optional<List<GuestNetworkPlan>> plan() {
      try {
        List<GuestNetworkPlan> plans = planOrThrow();
        Statistics.label("outcome").collect("planned");
        return Optional.of(plans);
      } catch (PlanningException e) {
        Statistics.label("outcome").collect("refused");
        return Optional.empty();
      }
    }

    List<GuestNetworkPlan> planOrThrow() {
      NetworkIoPlanner planner = NetworkIoPlanner.builder().loadProviders().policy(policy).build();
      return planner.planAll(host, batch, usage);
    }

    /** The NIC requests of guest {@code guest}, one entry per guest NIC. */
    List<NicRequest> nicsOf(int guest) {
      List<NicRequest> nics = new ArrayList<>();
      for (NicRequest nic : batch.get(guest).nics()) {
        for (int i = 0; i < nic.count(); i++) {
          nics.add(nic);
        }
      }
      return nics;
    }
  }

  @Property(tries = 400)
  void noDeviceIsGivenTwiceNorOneThatIsHeld(@ForAll("scenarios") Scenario s) {
    s.plan().ifPresent(plans -> {
      Set<PciAddress> given = new HashSet<>();
      for (GuestNetworkPlan plan : plans) {
        for (PciAddress device : plan.devices()) {
          assertThat(given.add(device)).as("%s given twice", device).isTrue();
          assertThat(s.usage().holder(device)).as("%s is held already", device).isEmpty();
        }
      }
    });
  }

  @Property(tries = 400)
  void theManagementNicIsNeverGiven(@ForAll("scenarios") Scenario s) {
    s.plan().ifPresent(plans -> plans.forEach(plan ->
        assertThat(plan.devices()).doesNotContainAnyElementsOf(s.host().managementFunctions())));
  }

  @Property(tries = 400)
  void aPlanNamesOnlyWhatTheHostHas(@ForAll("scenarios") Scenario s) {
    s.plan().ifPresent(plans -> {
      for (GuestNetworkPlan plan : plans) {
        assertThat(s.host().knownAddresses()).containsAll(plan.devices());
        for (HostAction action : plan.hostActions()) {
          if (action instanceof SetNumVfs) {
            SetNumVfs numVfs = (SetNumVfs) action;
            SriovCapability sriov = s.host().function(numVfs.physicalFunction())
                .flatMap(NetworkFunction::sriov).orElseThrow();
            assertThat(numVfs.to()).isBetween(0, sriov.totalVfs());
            assertThat(numVfs.from()).isEqualTo(sriov.numVfs());
          } else {
            String netdev = ((LinkUp) action).netdev();
            assertThat(s.host().functions().flatMap(f -> f.netdevs().stream())
                .map(NetDev::name)).contains(netdev);
          }
        }
        plan.assignments().stream().filter(a -> a instanceof SriovNic).map(a -> (SriovNic) a)
            .forEach(vf -> assertThat(s.host().physicalFunctionOf(vf.virtualFunction())
                .map(NetworkFunction::address)).contains(vf.physicalFunction()));
      }
    });
  }

  /**
   * Each NIC gets the first technology, in the policy's order, whose verdict is feasible: so
   * virtio whenever nothing else is, and never virtio while a better one was possible.
   */
  @Property(tries = 400)
  void theFirstFeasibleTechnologyIsChosen(@ForAll("scenarios") Scenario s) {
    s.plan().ifPresent(plans -> {
      for (GuestNetworkPlan plan : plans) {
        for (NicExplanation explanation : plan.explanations()) {
          Verdict first = explanation.verdicts().stream()
              .filter(v -> v.outcome() == Outcome.CHOSEN || v.outcome() == Outcome.FEASIBLE)
              .findFirst().orElseThrow();
          assertThat(first.outcome()).isEqualTo(Outcome.CHOSEN);
          assertThat(explanation.chosen()).isEqualTo(first.technology());
          assertThat(plan.assignments().get(explanation.nicIndex()).technology())
              .isEqualTo(first.technology());
          boolean onlyVirtioPossible = explanation.verdicts().stream()
              .filter(v -> v.technology() != Technology.VIRTIO)
              .allMatch(v -> v.outcome() == Outcome.REJECTED || v.outcome() == Outcome.EXCLUDED);
          if (onlyVirtioPossible) {
            assertThat(explanation.chosen()).isEqualTo(Technology.VIRTIO);
          }
          assertThat(explanation.verdicts()).allMatch(v -> !v.reason().isBlank());
          // The planner's safety net never had to turn a provider's proposal down.
          assertThat(explanation.verdicts()).noneMatch(v -> v.reason().startsWith("provider "));
        }
      }
    });
  }

  @Property(tries = 400)
  void aPinnedTechnologyIsHonouredOrRefusedNeverReplaced(@ForAll("scenarios") Scenario s) {
    Optional<List<GuestNetworkPlan>> planned = s.plan();
    boolean anyPin = s.batch().stream().flatMap(g -> g.nics().stream())
        .anyMatch(n -> n.pinned().isPresent());
    Statistics.label("pinned").collect(anyPin);
    planned.ifPresent(plans -> {
      for (int g = 0; g < plans.size(); g++) {
        List<NicRequest> nics = s.nicsOf(g);
        for (int i = 0; i < nics.size(); i++) {
          Optional<Technology> pinned = nics.get(i).pinned();
          if (pinned.isPresent()) {
            assertThat(plans.get(g).assignments().get(i).technology()).isEqualTo(pinned.get());
          }
        }
      }
    });
  }

  /**
   * A refusal names the guest and NIC and says why: its pinned technology is not feasible (it was
   * pinned), or nothing is (virtio was ruled out for it). Never a refusal of a NIC virtio could serve.
   */
  @Property(tries = 400)
  void aRefusalIsAPinOrNothingFeasible(@ForAll("scenarios") Scenario s) {
    PlanningException refusal;
    try {
      s.planOrThrow();
      return;
    } catch (PlanningException e) {
      refusal = e;
    }
    Matcher m = REFUSAL.matcher(refusal.getMessage());
    assertThat(m.find()).as(refusal.getMessage()).isTrue();
    int guest = Integer.parseInt(m.group(1));
    NicRequest nic = s.nicsOf(guest).get(Integer.parseInt(m.group(2)));
    if (m.group(3) != null) {
      Statistics.label("refusal").collect("pinned " + m.group(3));
      assertThat(nic.pinned().map(Technology::id)).contains(m.group(3));
      // The pinned technology itself failed: its provider said no, or the host policy leaves it out.
      assertThat(refusal.getMessage()).containsAnyOf(m.group(3) + ": rejected: ",
          m.group(3) + ": excluded: the host policy leaves " + m.group(3) + " out");
    } else {
      Statistics.label("refusal").collect("nothing feasible");
      assertThat(nic.excluded().contains(Technology.VIRTIO)
          || !s.policy().order().contains(Technology.VIRTIO)).as(refusal.getMessage()).isTrue();
    }
  }

  private static final Pattern REFUSAL = Pattern.compile(
      "^guest guest(\\d+), nic (\\d+): (?:the pinned technology (\\w+) is not feasible"
          + "|no technology is feasible) \\(");

  /** Without pins, exclusions of virtio or host devices, virtio always serves: no refusal. */
  @Property(tries = 400)
  void unconstrainedBatchesAlwaysGetAPlan(@ForAll("scenarios") Scenario s) {
    boolean unconstrained = s.policy().order().contains(Technology.VIRTIO)
        && s.batch().stream().flatMap(g -> g.nics().stream()).allMatch(n ->
            n.pinned().isEmpty() && !n.excluded().contains(Technology.VIRTIO));
    if (unconstrained) {
      assertThat(s.plan()).isPresent();
    }
  }

  /** On a host of identical PFs, single-NIC guests spread: VFs in use differ by at most one. */
  @Property(tries = 60)
  void guestsSpreadAcrossPfs(@ForAll("pfCounts") int pfs, @ForAll("pfCounts") int vfs,
      @ForAll("guestCounts") int guests) {
    HostInventory host = SyntheticHosts.pfsWithVfs(pfs, vfs);
    List<GuestNetworkRequest> batch = new ArrayList<>();
    for (int i = 0; i < Math.min(guests, pfs * vfs); i++) {
      batch.add(GuestNetworkRequest.builder().guestName("g" + i).addNic(NicRequest.of(1)).build());
    }
    Map<PciAddress, Integer> perPf = new LinkedHashMap<>();
    host.functions().filter(f -> f.sriov().isPresent()).forEach(f -> perPf.put(f.address(), 0));
    for (GuestNetworkPlan plan : NetworkIoPlanner.create().planAll(host, batch, DeviceUsage.empty())) {
      SriovNic vf = (SriovNic) plan.assignments().get(0);
      perPf.merge(vf.physicalFunction(), 1, Integer::sum);
    }
    int most = perPf.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    int least = perPf.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    assertThat(most - least).as("VFs per PF: %s", perPf).isLessThanOrEqualTo(1);
  }

  @Provide
  Arbitrary<Integer> pfCounts() {
    return Arbitraries.integers().between(1, 6);
  }

  @Provide
  Arbitrary<Integer> guestCounts() {
    return Arbitraries.integers().between(1, 40);
  }

  // ---------------------------------------------------------------- generators

  @Provide
  Arbitrary<Scenario> scenarios() {
    return PlannerScenarios.hosts().flatMap(host -> Combinators.combine(
            PlannerScenarios.usages(host), PlannerScenarios.policies(), PlannerScenarios.batches(host))
        .as((usage, policy, batch) -> new Scenario(host, usage, policy, batch)));
  }
}
