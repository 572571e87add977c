package org.niovirt.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.niovirt.api.fixtures.SyntheticHosts;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.Verdict;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;
import org.niovirt.api.spi.NetworkIoProvider;
import org.niovirt.api.spi.PlanningContext;
import org.niovirt.api.spi.Proposal;

/** A rejection's words are built when someone reads them, once, and not while planning. */
class LazyReasonsTest {
  private final AtomicInteger built = new AtomicInteger();

  private final NetworkIoProvider rejectingSriov = new NetworkIoProvider() {
    @Override
    public Technology technology() {
      return Technology.SRIOV;
    }

    @Override
    public Proposal propose(PlanningContext context) {
      return Proposal.reject(() -> "expensive words #" + built.incrementAndGet());
    }
  };

  @Test
  void aRejectionIsWordedOnlyWhenReadAndOnlyOnce() {
    NetworkIoPlanner planner = NetworkIoPlanner.builder().provider(rejectingSriov)
        .provider(new org.niovirt.api.fixtures.AcceptingVirtio()).build();
    java.util.List<GuestNetworkRequest> batch = java.util.stream.IntStream.range(0, 100).<GuestNetworkRequest>mapToObj(i -> GuestNetworkRequest.builder()
        .guestName("g" + i).addNic(NicRequest.of(1)).build()).toList();

    var plans = planner.planAll(SyntheticHosts.pfsWithVfs(2, 2), batch, org.niovirt.api.plan.DeviceUsage.empty());

    assertThat(built).as("no rejection worded while planning 100 NICs").hasValue(0);
    Verdict sriov = sriovVerdict(plans.get(7));
    assertThat(sriov.outcome()).isEqualTo(Verdict.Outcome.REJECTED);
    assertThat(sriov.reason()).isEqualTo("expensive words #1");
    assertThat(sriov.reason()).as("kept, not built again").isEqualTo("expensive words #1");
    assertThat(built).hasValue(1);
  }

  private static Verdict sriovVerdict(GuestNetworkPlan plan) {
    return plan.explanations().get(0).verdicts().stream()
        .filter(v -> v.technology() == Technology.SRIOV).findFirst().orElseThrow();
  }
}
