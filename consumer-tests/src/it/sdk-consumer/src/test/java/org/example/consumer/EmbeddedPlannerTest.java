package org.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;
import org.niovirt.detect.HostDetector;

/**
 * What an embedding program does: detect a host (here a captured one), let ServiceLoader find the
 * three providers on the class path, plan a guest, read the explanation.
 */
class EmbeddedPlannerTest {
  @Test
  void detectsPlansAndExplainsWithTheProvidersFoundOnTheClassPath() {
    HostInventory host = HostDetector.forSnapshot(Path.of(System.getProperty("niovirt.capture"))).detect();
    NetworkIoPlanner planner = NetworkIoPlanner.create();

    GuestNetworkPlan plan = planner.plan(host, GuestNetworkRequest.builder().guestName("consumer")
        .addNics(NicRequest.builder().build()).build());

    assertEquals(Technology.SRIOV, plan.explanations().get(0).chosen(), plan.explain());
    assertTrue(plan.explain().contains("virtio"), plan.explain());
  }
}
