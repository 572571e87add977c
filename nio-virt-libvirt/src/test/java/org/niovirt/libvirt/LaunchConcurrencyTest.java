package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.niovirt.libvirt.testing.TestHosts.guest;
import static org.niovirt.libvirt.testing.TestHosts.nodeFileUri;
import static org.niovirt.libvirt.testing.TestHosts.options;
import static org.niovirt.libvirt.testing.TestHosts.sriovRequest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.error.PlanningException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.VirtualFunction;
import org.niovirt.libvirt.testing.TestHosts;

/**
 * Acceptance: 8 threads launch 200 guests through one connection of the test driver, each guest
 * pinned to SR-IOV, on a host with 16 VFs. Exactly 16 launches succeed; every other one fails with
 * the planner's "no free VF"; no VF ends up in two domains.
 */
class LaunchConcurrencyTest {
  private static final int THREADS = 8;
  private static final int LAUNCHES = 200;

  @TempDir Path dir;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void sixteenOfTwoHundredConcurrentLaunchesGetAVfAndTheRestAreToldNoneIsFree() throws Exception {
    NetworkIoPlanner planner = NetworkIoPlanner.create();
    try (LibvirtHost host = LibvirtHost.connect(nodeFileUri("sixteen-vfs.xml"), options(dir).build())) {
      HostInventory inventory = NodeDeviceInventory.read(host, TestHosts.inventoryOptions().build());
      Set<PciAddress> allVfs = inventory.functions()
          .flatMap(f -> f.sriov().stream().flatMap(s -> s.vfs().stream()))
          .map(VirtualFunction::address).collect(Collectors.toSet());
      assertThat(allVfs).hasSize(16);

      ConcurrentLinkedQueue<LaunchedGuest> launched = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<PlanningException> refused = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = thread; i < LAUNCHES; i += THREADS) {
            String name = "race" + i;
            try {
              launched.add(host.launch(guest(name), planner, inventory, sriovRequest(name)));
            } catch (PlanningException e) {
              refused.add(e);
            } catch (Throwable e) {
              unexpected.add(e);
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get(4, TimeUnit.MINUTES);
      }
      pool.shutdown();

      assertThat(unexpected).isEmpty();
      assertThat(launched).hasSize(16);
      assertThat(refused).hasSize(LAUNCHES - 16)
          .allSatisfy(e -> assertThat(e.getMessage()).contains("no free VF").contains("pinned technology sriov"));

      // No VF in two domains, judged from what libvirt holds, not from what launch() returned.
      Map<PciAddress, List<String>> holders = new HashMap<>();
      for (GuestSummary guest : host.list()) {
        assertThat(guest.state()).isEqualTo(DomainState.RUNNING);
        guest.hostDevices().forEach(d -> holders.computeIfAbsent(d, k -> new ArrayList<>()).add(guest.name()));
      }
      assertThat(holders.values()).allSatisfy(names -> assertThat(names).hasSize(1));
      assertThat(holders.keySet()).isEqualTo(allVfs);
      assertThat(launched.stream().map(g -> g.plan().devices().get(0)).collect(Collectors.toSet()))
          .isEqualTo(allVfs);
      System.out.println("concurrency: " + launched.size() + " launched, " + refused.size()
          + " refused, e.g.: " + refused.peek().getMessage());
    }
  }
}
