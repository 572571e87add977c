package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.niovirt.libvirt.testing.TestHosts.guest;
import static org.niovirt.libvirt.testing.TestHosts.names;
import static org.niovirt.libvirt.testing.TestHosts.nodeFileUri;
import static org.niovirt.libvirt.testing.TestHosts.sriovRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.PciAddress;
import org.niovirt.libvirt.testing.SysfsTree;
import org.niovirt.libvirt.testing.TestHosts;

/**
 * Acceptance: a launcher that dies between VF creation and domain start leaves a journal entry;
 * the next run reverts what it did, so no VF stays orphaned.
 */
class LaunchReconcileTest {
  private static final PciAddress VF0 = PciAddress.parse("0000:03:10.0");
  private static final String URI = nodeFileUri("vf-creation.xml");

  @TempDir Path dir;
  private Path root;

  @BeforeEach
  void sysfs() {
    root = SysfsTree.igb82576(dir.resolve("root"));
  }

  /** An Error skips launch()'s rollback (it catches RuntimeException) as a kill would. */
  static final class SimulatedKill extends Error {
    SimulatedKill(LaunchPhase phase) {
      super("simulated kill at " + phase);
    }
  }

  private LibvirtHost connect(LaunchPhase dieAt) {
    return LibvirtHost.connect(URI, TestHosts.options(dir).hostRoot(root)
        .linkControl(SysfsTree.linkControl(root))
        .launchListener((guest, phase) -> {
          if (phase == dieAt) {
            throw new SimulatedKill(phase);
          }
        })
        .build());
  }

  private HostInventory inventory(LibvirtHost host) {
    return NodeDeviceInventory.read(host,
        TestHosts.inventoryOptions().hostRoot(root).build());
  }

  @Test
  void aLaunchThatSucceedsCreatesTheVfRaisesTheLinkAndClearsItsJournal() {
    try (LibvirtHost host = connect(null)) {
      LaunchedGuest guest = host.launch(guest("ok"), NetworkIoPlanner.create(), inventory(host), sriovRequest("ok"));

      assertThat(guest.plan().devices()).containsExactly(VF0);
      assertThat(guest.hostChanges()).containsExactly(
          NumVfsChange.of(PciAddress.parse(SysfsTree.PF), 0, 1), LinkChange.of("eth3", false));
      assertThat(SysfsTree.numVfs(root)).isEqualTo(1);
      assertThat(SysfsTree.linkUp(root, "eth3")).isTrue();
      assertThat(journalFiles()).isEmpty();
    }
  }

  @Test
  void aFailedStartRemovesTheVfItCreatedAndLowersTheLink() {
    try (LibvirtHost host = connect(null)) {
      // A domain already defined with the guest's UUID makes libvirt refuse the define.
      GuestSpec spec = guest("clash");
      host.launch(GuestSpec.builder().from(guest("first")).uuid(spec.uuid()).build(),
          NetworkIoPlanner.create(), inventory(host), TestHosts.virtioRequest("first", "52:54:00:bb:00:01"));

      assertThatThrownBy(() -> host.launch(spec, NetworkIoPlanner.create(), inventory(host), sriovRequest("clash")))
          .isInstanceOf(LibvirtOperationException.class).hasMessageContaining("define domain clash");

      assertThat(SysfsTree.numVfs(root)).isZero();
      assertThat(SysfsTree.linkUp(root, "eth3")).isFalse();
      assertThat(names(host.list())).containsExactly("first");
      assertThat(journalFiles()).isEmpty();
    }
  }

  @Test
  void killedBetweenVfCreationAndDefineTheNextRunRemovesTheOrphanedVf() {
    try (LibvirtHost dying = connect(LaunchPhase.HOST_PREPARED)) {
      assertThatThrownBy(() -> dying.launch(guest("dead"), NetworkIoPlanner.create(), inventory(dying), sriovRequest("dead")))
          .isInstanceOf(SimulatedKill.class);
      assertThat(SysfsTree.numVfs(root)).as("the orphaned VF").isEqualTo(1);
      assertThat(journalFiles()).hasSize(1);

      List<String> report = dying.reconcile();

      assertThat(report).anyMatch(line -> line.contains("back from 1 to 0"));
      assertThat(SysfsTree.numVfs(root)).isZero();
      assertThat(SysfsTree.linkUp(root, "eth3")).isFalse();
      assertThat(journalFiles()).isEmpty();
    }
  }

  @Test
  void killedBetweenDefineAndStartTheNextRunUndefinesTheDomainAndRemovesTheVf() {
    // One connection stands for the libvirtd that outlives the launcher: the test driver's
    // domains live only as long as the connection that made them.
    try (LibvirtHost host = connect(LaunchPhase.DEFINED)) {
      assertThatThrownBy(() -> host.launch(guest("half"), NetworkIoPlanner.create(), inventory(host), sriovRequest("half")))
          .isInstanceOf(SimulatedKill.class);
      assertThat(host.state("half")).isEqualTo(DomainState.SHUT_OFF);
      assertThat(host.deviceUsage().holders()).containsOnlyKeys(VF0);

      List<String> report = host.reconcile();

      assertThat(report).contains("half: undefined (defined but never started)");
      assertThat(host.list()).isEmpty();
      assertThat(SysfsTree.numVfs(root)).isZero();
      assertThat(SysfsTree.linkUp(root, "eth3")).isFalse();
      assertThat(journalFiles()).isEmpty();
    }
  }

  @Test
  void aDefineThatLibvirtFinishesAfterTheLauncherDiedIsUndoneByTheDomainsOwnMark() throws Exception {
    try (LibvirtHost host = connect(LaunchPhase.DEFINING)) {
      assertThatThrownBy(() -> host.launch(guest("late"), NetworkIoPlanner.create(), inventory(host), sriovRequest("late")))
          .isInstanceOf(SimulatedKill.class);
      List<String> first = host.reconcile();
      assertThat(first).contains("late: no domain yet, though its define was sent; entry kept for 120 s"
          + " in case libvirtd still defines it");
      assertThat(SysfsTree.numVfs(root)).as("host changes reverted at once").isZero();
      assertThat(journalFiles()).as("kept until the domain's fate is known").hasSize(1);

      // libvirtd completes the define the dead launcher sent: the XML carries the launch mark.
      String xml = org.niovirt.libvirt.xml.LaunchMark.mark(TestXml.write(guest("late"),
          NetworkIoPlanner.create().plan(inventory(host), TestHosts.virtioRequest("late", "52:54:00:bb:00:09"),
              host.deviceUsage())), org.niovirt.libvirt.testing.TestHosts.deadPid());
      host.connection().domainDefineXML(xml);
      assertThat(host.state("late")).isEqualTo(DomainState.SHUT_OFF);

      List<String> second = host.reconcile();

      assertThat(second).contains("late: undefined (its launch never finished; libvirt completed the"
          + " define after its launcher died)");
      assertThat(host.list()).isEmpty();
    }
  }

  @Test
  void killedAfterStartTheNextRunKeepsTheRunningGuestAndItsVf() {
    try (LibvirtHost host = connect(LaunchPhase.STARTED)) {
      assertThatThrownBy(() -> host.launch(guest("lucky"), NetworkIoPlanner.create(), inventory(host), sriovRequest("lucky")))
          .isInstanceOf(SimulatedKill.class);
      assertThat(journalFiles()).hasSize(1);

      assertThat(host.reconcile()).containsExactly("lucky: was started before its launcher died; kept");

      assertThat(host.state("lucky")).isEqualTo(DomainState.RUNNING);
      assertThat(SysfsTree.numVfs(root)).isEqualTo(1);
      assertThat(journalFiles()).isEmpty();
    }
  }

  @Test
  void aLauncherProcessKilledAfterCreatingTheVfLeavesNothingOrphanedAfterTheNextLaunch() throws Exception {
    Process child = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        KilledLauncherMain.class.getName(), URI, root.toString(), dir.toString(),
        LaunchPhase.HOST_PREPARED.name(), "victim"))
        .redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(child.exitValue()).as(output).isEqualTo(KilledLauncherMain.KILLED_EXIT_STATUS);
    assertThat(SysfsTree.numVfs(root)).as("VF created by the dead launcher").isEqualTo(1);
    assertThat(SysfsTree.linkUp(root, "eth3")).isTrue();
    assertThat(journalFiles()).hasSize(1);

    try (LibvirtHost host = connect(null)) {
      LaunchedGuest next = host.launch(guest("survivor"), NetworkIoPlanner.create(), inventory(host),
          sriovRequest("survivor"));

      // The dead launcher's VF was removed first, so the survivor's plan had to create VF 0 again.
      assertThat(next.hostChanges()).contains(NumVfsChange.of(PciAddress.parse(SysfsTree.PF), 0, 1));
      assertThat(next.plan().devices()).containsExactly(VF0);
      assertThat(SysfsTree.numVfs(root)).isEqualTo(1);
      assertThat(host.deviceUsage().holders()).containsOnlyKeys(VF0).containsEntry(VF0, "survivor");
      assertThat(names(host.list())).containsExactly("survivor");
      assertThat(journalFiles()).isEmpty();
    }
  }

  private List<Path> journalFiles() {
    Path launches = dir.resolve("state/launches");
    if (!Files.isDirectory(launches)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(launches)) {
      return files.collect(java.util.stream.Collectors.toList());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
