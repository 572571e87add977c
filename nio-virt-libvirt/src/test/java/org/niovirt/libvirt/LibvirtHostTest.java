package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.niovirt.libvirt.testing.TestHosts.guest;
import static org.niovirt.libvirt.testing.TestHosts.names;
import static org.niovirt.libvirt.testing.TestHosts.nodeFileUri;
import static org.niovirt.libvirt.testing.TestHosts.options;
import static org.niovirt.libvirt.testing.TestHosts.sriovRequest;
import static org.niovirt.libvirt.testing.TestHosts.virtioRequest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.error.PlanningException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.libvirt.testing.Plans;
import org.niovirt.libvirt.testing.SysfsTree;
import org.niovirt.libvirt.testing.TestHosts;

class LibvirtHostTest extends OnSixteenVfHost {
  @Test
  void quickStartLaunchesOnTheDefaultTestDriver() {
    try (LibvirtHost defaultHost = LibvirtHost.connect(LibvirtHost.DEFAULT_URI, options(dir).build())) {
      LaunchedGuest launched = defaultHost.launch(guest("quick1"), planner, inventory,
          virtioRequest("quick1", "52:54:00:aa:00:01"));
      try {
        assertThat(launched.state()).isEqualTo(DomainState.RUNNING);
        assertThat(defaultHost.state("quick1")).isEqualTo(DomainState.RUNNING);
        assertThat(defaultHost.domainXml("quick1").devices().interfaces().get(0).mac())
            .contains("52:54:00:aa:00:01");
        assertThat(launched.accelerator().chosen()).isEqualTo(Accelerator.QEMU);
      } finally {
        defaultHost.destroy("quick1");
        defaultHost.undefine("quick1");
      }
    }
  }

  @Test
  void ledgerHoldsTheDevicesOfRunningAndOfDefinedButStoppedDomains() throws Exception {
    LaunchedGuest running = host.launch(guest("vf1"), planner, inventory, sriovRequest("vf1"));
    String stoppedXml = TestXml.write(guest("pt1"), Plans.of("pt1",
        org.niovirt.api.plan.PassthroughNic.builder().nicIndex(0).iommuGroup(12)
            .function(PciAddress.parse("0000:05:00.0")).reason("test").build()),
        AcceleratorChoice.resolve(Accelerator.QEMU, false));
    host.connection().domainDefineXML(stoppedXml);

    DeviceUsage usage = host.deviceUsage();

    PciAddress vf = running.plan().devices().get(0);
    assertThat(usage.holders()).containsEntry(vf, "vf1")
        .containsEntry(PciAddress.parse("0000:05:00.0"), "pt1").hasSize(2);
    assertThat(host.state("pt1")).isEqualTo(DomainState.SHUT_OFF);
    assertThat(names(host.list())).containsExactlyInAnyOrder("vf1", "pt1");
  }

  @Test
  void aPlanWhoseDeviceWasTakenSinceIsRefused() {
    GuestNetworkPlan stale = planner.plan(inventory, sriovRequest("late"), host.deviceUsage());
    host.launch(guest("early"), planner, inventory, sriovRequest("early"));

    assertThatThrownBy(() -> host.launch(guest("late"), stale))
        .isInstanceOf(PlanningException.class)
        .hasMessageContaining(stale.devices().get(0).toString())
        .hasMessageContaining("early");
    assertThat(names(host.list())).containsExactly("early");
  }

  @Test
  void aFailureAfterDefineUndefinesTheDomainAndClearsTheJournal() {
    List<LaunchPhase> phases = new CopyOnWriteArrayList<>();
    try (LibvirtHost failing = LibvirtHost.connect(nodeFileUri("sixteen-vfs.xml"),
        options(dir).launchListener((guest, phase) -> {
          phases.add(phase);
          if (phase == LaunchPhase.DEFINED) {
            throw new IllegalStateException("simulated start failure");
          }
        }).build())) {
      assertThatThrownBy(() -> failing.launch(guest("doomed"), planner, inventory, sriovRequest("doomed")))
          .isInstanceOf(IllegalStateException.class).hasMessage("simulated start failure");

      assertThat(failing.list()).isEmpty();
      assertThat(failing.deviceUsage().holders()).isEmpty();
    }
    assertThat(phases).containsSubsequence(LaunchPhase.JOURNALED, LaunchPhase.DEFINED, LaunchPhase.ROLLED_BACK);
    assertNoJournalEntry();
  }

  @Test
  void aListenerFailingAfterTheStartLeavesTheGuestRunning() {
    try (LibvirtHost host2 = LibvirtHost.connect(nodeFileUri("sixteen-vfs.xml"),
        options(dir).launchListener((guest, phase) -> {
          if (phase == LaunchPhase.STARTED) {
            throw new IllegalStateException("dashboard went away");
          }
        }).build())) {
      LaunchedGuest launched = host2.launch(guest("keeps"), planner, inventory, sriovRequest("keeps"));

      assertThat(launched.state()).isEqualTo(DomainState.RUNNING);
      assertThat(host2.state("keeps")).isEqualTo(DomainState.RUNNING);
    }
    assertNoJournalEntry();
  }

  @Test
  void libvirtErrorsCarryLibvirtsCodeAndMessage() {
    GuestSpec first = guest("uuid1");
    host.launch(first, planner, inventory, virtioRequest("uuid1", "52:54:00:aa:00:02"));
    GuestSpec sameUuid = GuestSpec.builder().from(guest("uuid2")).uuid(first.uuid()).build();

    assertThatThrownBy(() -> host.launch(sameUuid, planner, inventory, virtioRequest("uuid2", "52:54:00:aa:00:03")))
        .isInstanceOfSatisfying(LibvirtOperationException.class, e -> {
          assertThat(e.operation()).isEqualTo("define domain uuid2");
          assertThat(e.errorCode()).startsWith("VIR_ERR_");
          assertThat(e.libvirtMessage()).contains("uuid1");
          assertThat(e.getMessage()).contains(e.errorCode()).contains(e.libvirtMessage());
        });
    assertThatThrownBy(() -> host.state("nonexistent"))
        .isInstanceOfSatisfying(LibvirtOperationException.class, e -> {
          assertThat(e.errorCode()).isEqualTo("VIR_ERR_NO_DOMAIN");
          assertThat(e.isNoDomain()).isTrue();
        });
    assertThat(names(host.list())).containsExactly("uuid1");
  }

  @Test
  void aMissingTestDriverFileIsNamedInTheError() {
    assertThatThrownBy(() -> LibvirtHost.connect("test:///no/such/node.xml"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("uri: invalid value 'test:///no/such/node.xml'");
  }

  @Test
  void aNameInUseIsRefusedBeforeAnythingChanges() {
    host.launch(guest("dup"), planner, inventory, virtioRequest("dup", "52:54:00:aa:00:04"));

    assertThatThrownBy(() -> host.launch(guest("dup"), planner, inventory, virtioRequest("dup", "52:54:00:aa:00:05")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("name: invalid value 'dup'").hasMessageContaining("already defined");
  }

  @Test
  void stopDestroyAndUndefineChangeTheStateLibvirtReports() {
    host.launch(guest("life"), planner, inventory, virtioRequest("life", "52:54:00:aa:00:06"));

    host.stop("life");
    assertThat(host.state("life")).isEqualTo(DomainState.SHUT_OFF);
    assertThatThrownBy(() -> host.destroy("life"))
        .isInstanceOf(LibvirtOperationException.class).hasMessageContaining("not running");
    assertThat(host.list().get(0).persistent()).isTrue();
    host.undefine("life");
    assertThat(host.list()).isEmpty();
  }

  @Test
  @SuppressWarnings("try") // the registration is open while the body runs
  void lifecycleListenerSeesDefineAndStart() throws Exception {
    List<LifecycleEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (AutoCloseable registration = host.addLifecycleListener(events::add)) {
      host.launch(guest("evt"), planner, inventory, virtioRequest("evt", "52:54:00:aa:00:07"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (events.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    assertThat(events).extracting(LifecycleEvent::domain).containsOnly("evt");
    assertThat(events).extracting(LifecycleEvent::type).containsSubsequence("DEFINED", "STARTED");
  }

  @Test
  void hostChangesOnTheTestDriverNeedAnExplicitHostRoot() throws Exception {
    try (LibvirtHost creation = LibvirtHost.connect(nodeFileUri("vf-creation.xml"), options(dir).build())) {
      Path root = SysfsTree.igb82576(dir.resolve("root"));
      HostInventory withLayout = NodeDeviceInventory.read(creation,
          TestHosts.inventoryOptions().hostRoot(root).build());
      assertThatThrownBy(() -> creation.launch(guest("needs"), planner, withLayout, sriovRequest("needs")))
          .isInstanceOf(HostPreparationException.class)
          .hasMessageContaining("test driver").hasMessageContaining("hostRoot");
      assertThat(creation.list()).isEmpty();
    }
  }

  /** A launch without host changes writes no journal entry at all; one with them removes its own. */
  private void assertNoJournalEntry() {
    Path journal = dir.resolve("state/launches");
    if (java.nio.file.Files.exists(journal)) {
      assertThat(journal).isEmptyDirectory();
    }
  }
}
