package org.niovirt.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.SriovNic;
import org.niovirt.api.request.Technology;

/** The benchmark measures what its javadoc says: 10,000 NICs, 4,096 VFs spread, the rest virtio. */
class PlannerBenchmarkWorkloadTest {
  @Test
  void tenThousandNicsFillEveryVfEvenlyThenGetVirtio() {
    PlannerBenchmark benchmark = new PlannerBenchmark();
    benchmark.nics = 10_000;
    benchmark.pfs = 64;
    benchmark.setUp();

    List<GuestNetworkPlan> plans = benchmark.planAll();

    assertThat(plans).hasSize(10_000);
    Map<Technology, Long> byTechnology = plans.stream()
        .map(p -> p.assignments().get(0).technology())
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(byTechnology).containsOnly(
        Map.entry(Technology.SRIOV, 4096L), Map.entry(Technology.VIRTIO, 10_000L - 4096L));
    Map<Object, Long> perPf = plans.stream().map(p -> p.assignments().get(0))
        .filter(a -> a instanceof SriovNic).map(a -> ((SriovNic) a).physicalFunction())
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(perPf).hasSize(64).allSatisfy((pf, vfs) -> assertThat(vfs).isEqualTo(64L));
    assertThat(plans.get(9_999).explanations().get(0).verdicts().get(0).describe())
        .startsWith("sriov: rejected: no free VF on any of 64 SR-IOV PFs: all 64 VFs of"
            + " 0000:01:00.0 (enp1s0f0, ixgbe) are taken;");
  }
}
