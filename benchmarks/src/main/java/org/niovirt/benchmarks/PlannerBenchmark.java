package org.niovirt.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.fixtures.SyntheticHosts;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long {@link NetworkIoPlanner#planAll} takes to plan a batch of guests, one NIC each, against
 * a host of 64 SR-IOV PFs with 64 VFs each (4,096 VFs) plus a management NIC, with the three
 * providers found by ServiceLoader and the default policy (SR-IOV, then VT-d, then virtio).
 *
 * <p>What one operation includes: validating every request, asking all three providers for every
 * NIC (each verdict's reason text is built, as the plan explains them all), the safety checks,
 * growing the device usage NIC by NIC, and deriving host actions. At 10,000 NICs the first 4,096
 * get a VF, spread across the PFs, and the rest virtio once no VF is left, so the rejected
 * SR-IOV and VT-d verdicts of a full host are measured too. Not included: building the inventory
 * and the requests (done once in setup).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar PlannerBenchmark -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class PlannerBenchmark {
  /** NICs in the batch: one guest per NIC. */
  @Param({"100", "1000", "10000"})
  public int nics;

  /** PFs of the host, each with as many VFs. */
  @Param({"64"})
  public int pfs;

  private NetworkIoPlanner planner;
  private HostInventory host;
  private List<GuestNetworkRequest> batch;

  @Setup
  public void setUp() {
    planner = NetworkIoPlanner.create();
    host = SyntheticHosts.pfsWithVfs(pfs, pfs);
    batch = singleNicGuests(nics);
  }

  /** {@code nics} guests named g0, g1, ..., each with one NIC and no constraint. */
  static List<GuestNetworkRequest> singleNicGuests(int count) {
    List<GuestNetworkRequest> requests = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      requests.add(GuestNetworkRequest.builder().guestName("g" + i).addNic(NicRequest.of(1)).build());
    }
    return requests;
  }

  /** The whole batch, all or nothing: the figure the README quotes (nics=10000, pfs=64). */
  @Benchmark
  public List<GuestNetworkPlan> planAll() {
    return planner.planAll(host, batch, DeviceUsage.empty());
  }
}
